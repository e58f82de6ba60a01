-- One row per article with the publication it is: itself, or the article it copies.
-- A copy states the same text (text_hash), or the same figures in the same order
-- (figures_hash, at least three figures) in nearly the same words (Simhash at most 12 of 64
-- bits apart: a byline, a lead-in, a caption changed). The figures are the evidence and the
-- blocking key; Simhash only keeps two unrelated texts that happen to state the same figures
-- apart, so its bound is looser than for words alone. Its original is the earliest published
-- of the articles it matches (then the first fetched, then the smallest id).

with

articles as (

    select * from {{ ref('int_articles__current') }}

),

near_copies as (

    select a.article_id, b.article_id as match_id
    from articles as a
    inner join articles as b
        on a.figures_hash = b.figures_hash
        and a.article_id <> b.article_id
    where bit_count(xor(a.simhash, b.simhash)) <= 12

),

exact_copies as (

    select a.article_id, b.article_id as match_id
    from articles as a
    inner join articles as b
        on a.text_hash = b.text_hash
        and a.article_id <> b.article_id

),

candidates as (

    select article_id, article_id as match_id from articles
    union
    select * from exact_copies
    union
    select * from near_copies

),

originals as (

    select
        candidates.article_id,
        candidates.match_id as publication_id,
    from candidates
    inner join articles as match
        on candidates.match_id = match.article_id
    qualify row_number() over (
        partition by candidates.article_id
        order by coalesce(match.published_at, match.first_fetched_at), match.first_fetched_at, match.article_id
    ) = 1

)

select
    articles.article_id,
    originals.publication_id,
    nullif(originals.publication_id, articles.article_id) as copy_of_article_id,
    count(*) over (partition by originals.publication_id) as n_copies,
from articles
inner join originals
    on articles.article_id = originals.article_id
