with

source as (

    select * from {{ source('dq', 'rules') }}

)

select
    rule,
    rule_order,
    identity,
    severity_logic,
from source
