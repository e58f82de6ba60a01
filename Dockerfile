# The Airflow image of cchc-warehouse: Airflow's official image plus this project's pins.

# The Data Docs' browser assets (jQuery, Bootstrap, bootstrap-table, Vega, ...), installed from the
# npm lock file, so the pages open without internet (cchc.quality.data_docs_assets).
FROM node:20-bookworm-slim AS data-docs-assets
WORKDIR /vendor
COPY data_docs_vendor/package.json data_docs_vendor/package-lock.json data_docs_vendor/.npmrc /vendor/
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

FROM apache/airflow:3.3.2-python3.11

USER airflow
COPY --chown=airflow:root requirements.txt constraints.txt pyproject.toml /opt/cchc/
COPY --chown=airflow:root include /opt/cchc/include
RUN pip install --no-cache-dir -r /opt/cchc/requirements.txt -c /opt/cchc/constraints.txt \
 && pip install --no-cache-dir --no-deps -e /opt/cchc
COPY --chown=airflow:root --from=data-docs-assets /vendor /opt/cchc/data_docs_vendor
COPY --chown=airflow:root dags /opt/airflow/dags
COPY --chown=airflow:root dbt_project /opt/cchc/dbt_project
