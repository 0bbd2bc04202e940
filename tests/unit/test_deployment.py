"""docker-compose.yml and the Dockerfile (Docker cannot run here, so their wiring is checked)."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_neo4j_service_is_the_official_526_image_with_auth_volume_and_healthcheck():
    neo4j = compose()["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5.26")
    assert "${NEO4J_PASSWORD:?" in neo4j["environment"]["NEO4J_AUTH"]
    volume = neo4j["volumes"][0].split(":")
    assert volume[1] == "/data" and volume[0] in compose()["volumes"]
    assert "RETURN 1" in " ".join(neo4j["healthcheck"]["test"])


def test_web_waits_for_a_healthy_neo4j_and_is_configured_by_environment():
    web = compose()["services"]["web"]
    assert web["build"] == "."
    assert web["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = web["environment"]
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD")
    assert env["TANSIQ_SECRET_KEY"].startswith("${TANSIQ_SECRET_KEY:?")


def test_dockerfile_serves_the_app_factory_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "gunicorn" in dockerfile and "webui:create_app()" in dockerfile
    assert "USER tansiq" in dockerfile
    for path in re.findall(r"^COPY (.+) \S+$", dockerfile, re.M):
        for part in path.split():
            assert (ROOT / part).exists(), part


def test_every_dependency_is_pinned_and_constrained():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    constraints = {}
    for line in (ROOT / "constraints.txt").read_text().split():
        name, _, version = line.partition("==")
        constraints[name.lower().replace("_", "-")] = version
    for pin in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name, version = pin.split("==")
        assert constraints.get(name.lower()) == version, pin
