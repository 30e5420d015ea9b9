"""The `khien` command line, run as a user would run it."""
import json
import os
import subprocess
import sys
from pathlib import Path

KHIEN = str(Path(sys.executable).parent / "khien")


def run(*args, stdin="", env=None):
    result = subprocess.run([KHIEN, *args], input=stdin, capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_triage_reads_json_lines_and_plain_lines(trained_model, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "chu hang xom so vao cho kin cua em"}\nxin chào\n\n', encoding="utf-8")
    lines = [json.loads(line) for line in run("triage", str(source), "--model", str(trained_model)).splitlines()]
    assert [line["id"] for line in lines] == ["a", 2]
    assert set(lines[0]) == {"id", "text", "intent", "confidence", "risk", "category", "escalate"}
    assert lines[0]["escalate"] and lines[0]["category"] == "sexual_abuse" and lines[0]["risk"] in ("high", "imminent")
    assert not lines[1]["escalate"] and lines[1]["intent"] == "greet"


def test_anonymise_keeps_ids_and_replaces_identifiers():
    out = run("anonymise", stdin='{"id": 7, "text": "em tên Lan, số 0912 345 678"}\nemail em là a@b.vn\n')
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["id"] == 7 and "0912" not in first["anonymised"] and "[SĐT]" in first["anonymised"]
    assert second["id"] == 2 and "a@b.vn" not in second["anonymised"]


def test_export_and_purge_on_a_store(tmp_path):
    from actions.reporting import intake_payload
    from actions.store import NewReport, ReportStore

    url = f"sqlite:///{tmp_path / 'k.db'}"
    store = ReportStore(url, retention_days=0)
    store.migrate()
    store.create_report(NewReport(channel="web", reporter_role="child", reporter_pseudonym="u_x", category="neglect",
                                  risk="medium", consent=True, consent_basis="consent", summary="[TÊN] bỏ đói em"),
                        intake_payload)
    env = {"KHIEN_DATABASE_URL": url, "KHIEN_RETENTION_DAYS": "0", "KHIEN_VAR_DIR": str(tmp_path)}
    exported = [json.loads(line) for line in run("reports", "export", env=env).splitlines()]
    assert len(exported) == 1 and "reporter_pseudonym" not in exported[0]
    assert "purged 1" in run("purge", env=env)
    assert run("reports", "export", env=env) == ""
