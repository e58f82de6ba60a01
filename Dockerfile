# The Airflow image of cchc-warehouse: Airflow's official image plus this project's pins.
FROM apache/airflow:3.3.2-python3.11

USER airflow
COPY --chown=airflow:root requirements.txt constraints.txt pyproject.toml /opt/cchc/
COPY --chown=airflow:root include /opt/cchc/include
RUN pip install --no-cache-dir -r /opt/cchc/requirements.txt -c /opt/cchc/constraints.txt \
 && pip install --no-cache-dir --no-deps -e /opt/cchc
COPY --chown=airflow:root dags /opt/airflow/dags
COPY --chown=airflow:root dbt_project /opt/cchc/dbt_project
