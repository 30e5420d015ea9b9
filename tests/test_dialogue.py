"""Training data and dialogue: `rasa data validate` clean, test stories with no prediction error."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).parent / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}


def test_rasa_data_validate_is_clean():
    result = subprocess.run([RASA, "data", "validate", "--domain", "domain", "--data", "nlu/data", "stories",
                             "--fail-on-warnings"], cwd=REPO, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_story_conversations_predict_without_error(trained_model, tmp_path):
    result = subprocess.run([RASA, "test", "core", "--model", str(trained_model), "--stories", "tests/stories",
                             "--fail-on-prediction-errors", "--out", str(tmp_path)],
                            cwd=REPO, env=ENV, capture_output=True, text=True)
    failed = (tmp_path / "failed_test_stories.yml")
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, detail + result.stdout[-3000:] + result.stderr[-3000:]
