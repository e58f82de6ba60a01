# The two commands of the README. Both create the virtual environment when it is missing.
PYTHON ?= python3
VENV   ?= .venv
STAMP  := $(VENV)/.installed

MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' -o -name '*.md' \) -print)

.PHONY: demo test bench clean-data

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The DAG renders its dbt tasks from this manifest, so parsing the DAG never runs dbt.
$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	cd dbt_project && CCHC_WAREHOUSE=$${CCHC_WAREHOUSE:-../data/warehouse.duckdb} ../$(VENV)/bin/dbt parse --quiet --profiles-dir . --target-path target
	touch $(MANIFEST)

## demo: run the cchc_nightly DAG end to end on the bundled sample portals
demo: $(STAMP) $(MANIFEST)
	$(VENV)/bin/cchc demo

## test: the test suite (unit, DAG integrity, end to end with airflow dags test)
test: $(STAMP) $(MANIFEST)
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

## bench: the crawl benchmark (pages per second, politeness off and on; second night)
bench: $(STAMP) $(MANIFEST)
	$(VENV)/bin/python tests/benchmarks/bench_crawl.py

## clean-data: remove the warehouse, landing files and Airflow home of the demo
clean-data:
	rm -rf data
