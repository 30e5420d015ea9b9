"""The deployment files agree with each other, with Rasa and with README: a variable the
endpoints need is set everywhere Rasa runs and documented; every process is started by a command
that exists; the load balancer points at services that exist."""
import re
from pathlib import Path

import yaml
from rasa.core.utils import AvailableEndpoints

from khien.cli import main as khien_main

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
ENDPOINTS = DEPLOY / "endpoints.production.yml"


def endpoint_variables() -> set[str]:
    return set(re.findall(r"\$\{(\w+)\}", ENDPOINTS.read_text()))


def k8s_documents() -> list[dict]:
    return [doc for path in sorted((DEPLOY / "k8s").glob("*.yaml")) if path.name != "kustomization.yaml"
            for doc in yaml.safe_load_all(path.read_text()) if doc]


def test_rasa_reads_the_production_endpoints_into_our_stores(monkeypatch):
    for name in endpoint_variables():
        monkeypatch.setenv(name, "5" if name.endswith(("_PORT", "_DB")) else "khien")
    endpoints = AvailableEndpoints.read_endpoints(str(ENDPOINTS))
    assert endpoints.tracker_store.type == "khien.tracker_store.PrivateSQLTrackerStore"
    assert endpoints.tracker_store.kwargs["dialect"] == "postgresql"
    assert endpoints.lock_store.type == "khien.lock_store.AtomicRedisLockStore"
    assert endpoints.lock_store.kwargs["key_prefix"].isalnum()


def test_every_endpoint_variable_is_set_wherever_rasa_runs_and_documented():
    wanted = endpoint_variables()
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    assert wanted <= set(compose["services"]["rasa"]["environment"])
    helm = yaml.safe_load((DEPLOY / "helm" / "rasa-values.yaml").read_text())
    set_by_helm = {item["name"] for item in helm["extraEnv"]}
    assert wanted - {"KHIEN_ACTION_ENDPOINT_URL"} <= set_by_helm  # the chart writes the action URL itself
    readme = (REPO / "README.md").read_text()
    assert not {name for name in wanted if f"`{name}`" not in readme}


def test_every_process_runs_a_command_that_exists(capsys):
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    commands = [s["command"] for s in compose["services"].values() if str(s.get("image", "")).startswith("${KHIEN_IMAGE")]
    commands += [c["command"] for doc in k8s_documents() if doc["kind"] in ("Deployment", "Job")
                 for c in doc["spec"]["template"]["spec"]["containers"]]
    assert {c[0] for c in commands} == {"khien", "rasa"}
    for command in commands:
        if command[0] == "khien":
            try:
                khien_main([*command[1:], "--help"])
            except SystemExit as done:  # argparse prints the help and exits 0 for a real command
                assert done.code == 0, command
    assert compose["services"]["gateway"]["environment"]["KHIEN_DISPATCHER"] == "off"


def test_the_load_balancer_and_the_charts_point_at_services_that_exist():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    upstreams = re.findall(r"server (\w+):(\d+) resolve", (DEPLOY / "nginx" / "nginx.conf").read_text())
    assert {name for name, _ in upstreams} == {"gateway", "rasa", "actions"} <= set(compose["services"])
    services = {doc["metadata"]["name"] for doc in k8s_documents() if doc["kind"] == "Service"}
    helm = yaml.safe_load((DEPLOY / "helm" / "rasa-values.yaml").read_text())
    assert helm["rasa-action-server"]["external"]["url"] == "http://khien-actions:5055/webhook"
    assert "khien-actions" in services and "khien-gateway" in services
