# The two commands of the README. Both create the virtual environment when it is missing.
PYTHON ?= python3
VENV   ?= .venv
STAMP  := $(VENV)/.installed

.PHONY: demo test bench clean-data

$(STAMP): requirements.txt constraints.txt pyproject.toml data_docs_vendor/package.json data_docs_vendor/package-lock.json
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	# the Data Docs' browser assets, served from the site (cchc.quality.data_docs_assets), exactly as locked
	cd data_docs_vendor && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(STAMP)

## demo: run the cchc_nightly DAG end to end on the bundled sample portals
demo: $(STAMP)
	$(VENV)/bin/cchc demo

## test: the test suite (unit, DAG integrity, end to end with airflow dags test)
test: $(STAMP)
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

## bench: the crawl benchmark (pages per second, politeness off and on; second night; the archive sample: cold night, backfill, quiet night)
bench: $(STAMP)
	$(VENV)/bin/python tests/benchmarks/bench_crawl.py

## clean-data: remove the warehouse, landing files and Airflow home of the demo
clean-data:
	rm -rf data
