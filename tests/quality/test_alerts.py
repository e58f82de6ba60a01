"""Alerts through Apprise to a receiver on loopback (a tiny http.server standing in for Slack, a
webhook or a mail relay): what the message says, and that a violation alerts once."""
from __future__ import annotations

from http.server import BaseHTTPRequestHandler, HTTPServer

from cchc.alerts import notify_failures, notify_violations

from quality_fixtures import seed_url, violations


def test_new_violations_alert_once_naming_what_broke_and_where(night_copy, first_night, receiver):
    result = notify_violations("night-1")
    assert result["sent"] is True and result["violations"] == len(violations()) > 0
    (message,) = receiver
    body = message["message"]
    assert message["title"].startswith("CCHC night night-1: ") and f"{result['errors']} error(s)" in message["title"]
    assert "[error] intake: huyện Mai Sơn [district] 2023-11-01..2023-11-30: dossiers_received 1130 != dossiers_received_new 736" in body
    assert "repair: dossiers_received [district] 1130 -> 1103 (for: intake, balance, tiers; against: rates)" in body
    assert f"article: {seed_url('001')}" in body and f"article: {seed_url('004')}" in body
    assert f"Data Docs: file://{first_night[1]['data_docs']}" in body  # the path the night recorded
    assert all(v["alerted_at"] is not None for v in violations())
    assert notify_violations("night-1") == {"sent": False, "violations": 0, "errors": 0, "warnings": 0, "reason": "no violation to alert"}
    assert len(receiver) == 1


def test_a_failed_nights_alert_names_its_first_failure_in_its_own_words(receiver):
    failures = [{"task": "dbt_build", "error": "dbt build failed (exit 1, 1 failed node(s)):\n  error: model.cchc.stg_pages: Parser Error"},
                {"task": "fetch[sonla]", "error": "portal sonla: HTTP 503 from sonla.gov.vn"}]
    assert notify_failures("night-9", failures, ["quality_checks", "publish"]) == {"sent": True, "failed": ["dbt_build", "fetch[sonla]"]}
    (message,) = receiver
    assert message["title"] == "CCHC night night-9 failed: dbt_build: dbt build failed (exit 1, 1 failed node(s)):"
    assert "model.cchc.stg_pages: Parser Error" in message["message"] and "HTTP 503 from sonla.gov.vn" in message["message"]
    assert "Did not run (an upstream task failed): quality_checks, publish" in message["message"]


def test_without_an_alert_url_nothing_is_sent_and_nothing_is_stamped(night_copy, monkeypatch):
    monkeypatch.delenv("CCHC_ALERT_URL", raising=False)
    assert notify_failures("night-9", [{"task": "extract", "error": "boom"}])["sent"] is False
    assert notify_violations("night-1")["sent"] is False
    assert all(v["alerted_at"] is None for v in violations())


def test_an_undelivered_alert_stamps_nothing_so_the_next_night_sends_it(night_copy, monkeypatch, caplog):
    with HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:  # a port nobody listens on once closed
        port = closed.server_port
    monkeypatch.setenv("CCHC_ALERT_URL", f"json://127.0.0.1:{port}/")
    result = notify_violations()  # no run id: the last night checked
    assert result["sent"] is False and result["violations"] > 0 and result["error"]
    assert "stay un-alerted" in caplog.text
    assert all(v["alerted_at"] is None for v in violations())
    assert notify_failures("night-9", [{"task": "extract", "error": "boom"}])["sent"] is False
