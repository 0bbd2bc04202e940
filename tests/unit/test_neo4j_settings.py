"""The connection to Neo4j read from the environment: every URI form of a server, a cluster
or Aura is accepted; anything else is refused at startup with one French sentence naming the
variable to correct, before any connection is tried."""

import subprocess
import sys
from pathlib import Path

import pytest

from webui.config import NEO4J_SCHEMES, SettingError, neo4j_settings

ROOT = Path(__file__).resolve().parents[2]


def settings(**environ: str) -> dict:
    return neo4j_settings({"NEO4J_URI": "bolt://127.0.0.1:7687", **environ})


def refusal(**environ: str) -> str:
    with pytest.raises(SettingError) as caught:
        settings(**environ)
    return caught.value.message


@pytest.mark.parametrize(
    "uri",
    [
        "bolt://127.0.0.1:7687",
        "bolt://neo4j",  # docker-compose's service name, default port
        "bolt+s://db.programme.ma:7687",
        "bolt+ssc://10.0.0.5:7687",
        "neo4j://core1.programme.ma:7687",
        "neo4j://core1.programme.ma:7687?policy=europe",  # a cluster's routing context
        "neo4j+s://a1b2c3d4.databases.neo4j.io",  # Aura
        "neo4j+ssc://[::1]:7687",
        "NEO4J+S://A1B2C3D4.databases.neo4j.io",
    ],
)
def test_every_driver_uri_form_is_accepted_as_given(uri):
    assert settings(NEO4J_URI=uri)["uri"] == uri
    assert settings(NEO4J_URI=f"  {uri}\n")["uri"] == uri


def test_the_six_schemes_are_the_drivers():
    assert set(NEO4J_SCHEMES) == {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


@pytest.mark.parametrize(
    ("uri", "why"),
    [
        ("http://127.0.0.1:7474", "commence par http://, qui n'est pas un schéma de Neo4j"),
        ("https://a1b2c3d4.databases.neo4j.io", "Neo4j Browser"),
        ("neo4:/127.0.0.1:7687", "n'a pas la forme schéma://hôte:port"),
        ("bolt+routing://h:7687", "commence par bolt+routing://"),
        ("neo4j+sc://h:7687", "commence par neo4j+sc://"),
        ("localhost:7687", "n'a pas la forme schéma://hôte:port"),
        ("neo4j://", "n'indique pas l'hôte du serveur"),
        ("bolt://:7687", "n'indique pas l'hôte du serveur"),
        ("bolt://h:port", "port ou un hôte invalide"),
        ("bolt://h:76870", "port ou un hôte invalide"),
        ("bolt://h:0", "port invalide"),
        ("bolt://[::1:7687", "port ou un hôte invalide"),
        ("bolt://h /x", "contient une espace"),
        ("bolt://h:7687/neo4j", "contient un chemin (/neo4j)"),
        ("bolt://h:7687?policy=europe", "seules les adresses neo4j:// en acceptent"),
        ("neo4j://h:7687?policy=", "paramètres de routage mal formés"),
        ("neo4j://h:7687?a=1&a=2", "paramètres de routage mal formés"),
        ("bolt://h:7687#x", "se termine par #x"),
        ("neo4j://a1b2c3d4.databases.neo4j.io", "base Aura"),
        ("bolt+s://a1b2c3d4.databases.neo4j.io", "base Aura"),
        ("neo4j+ssc://a1b2c3d4.databases.neo4j.io", "base Aura"),
    ],
)
def test_a_refused_uri_names_the_variable_quotes_the_value_and_says_why(uri, why):
    message = refusal(NEO4J_URI=uri)
    assert message.startswith(f"NEO4J_URI refusée : « {uri.strip()} » ")
    assert why in message


def test_aura_is_told_the_one_form_it_accepts():
    assert refusal(NEO4J_URI="bolt+s://a1b2c3d4.databases.neo4j.io").endswith(
        "Utilisez neo4j+s://a1b2c3d4.databases.neo4j.io."
    )


def test_credentials_in_the_uri_are_refused_without_being_repeated():
    message = refusal(NEO4J_URI="neo4j+s://neo4j:S3cret-Pass@a1b2c3d4.databases.neo4j.io")
    assert "S3cret-Pass" not in message and "neo4j:S3cret" not in message
    assert "« neo4j+s://…@a1b2c3d4.databases.neo4j.io »" in message
    assert "NEO4J_USER et NEO4J_PASSWORD" in message


def test_credentials_and_database_are_passed_through():
    got = settings(
        NEO4J_URI="neo4j+s://a1b2c3d4.databases.neo4j.io",
        NEO4J_USER="a1b2c3d4",
        NEO4J_PASSWORD="long secret",
        NEO4J_DATABASE="neo4j",
    )
    assert (got["user"], got["password"], got["database"]) == ("a1b2c3d4", "long secret", "neo4j")
    assert settings(NEO4J_USER="")["user"] == "neo4j"
    assert settings(NEO4J_DATABASE="  ")["database"] is None  # the server's home database


@pytest.mark.parametrize("name", ["neo4j", "tansiq", "crm-2026.prod", "A12"])
def test_database_names_neo4j_accepts(name):
    assert settings(NEO4J_DATABASE=name)["database"] == name


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("db", "n'est pas un nom de base Neo4j"),
        ("1crm", "n'est pas un nom de base Neo4j"),
        ("tansiq_crm", "n'est pas un nom de base Neo4j"),
        ("base données", "n'est pas un nom de base Neo4j"),
        ("donnée", "n'est pas un nom de base Neo4j"),
        ("x" * 64, "n'est pas un nom de base Neo4j"),
        ("system", "réservée à l'administration de Neo4j"),
        ("SYSTEM", "réservée à l'administration de Neo4j"),
    ],
)
def test_a_refused_database_name_says_why_and_how_aura_names_it(name, why):
    message = refusal(NEO4J_DATABASE=name)
    assert message.startswith(f"NEO4J_DATABASE refusée : « {name} » ")
    assert why in message and "sur Aura, la base s'appelle neo4j" in message


def test_driver_tuning_has_defaults_and_reads_the_environment():
    defaults = settings()
    assert (
        defaults["max_transaction_retry_time"],
        defaults["max_connection_pool_size"],
        defaults["connection_timeout"],
    ) == (5.0, 100, 5.0)
    tuned = settings(
        NEO4J_MAX_TRANSACTION_RETRY_TIME="30",
        NEO4J_MAX_CONNECTION_POOL_SIZE="16",
        NEO4J_CONNECTION_TIMEOUT="2,5",  # a French decimal comma
    )
    assert (
        tuned["max_transaction_retry_time"],
        tuned["max_connection_pool_size"],
        tuned["connection_timeout"],
    ) == (30.0, 16, 2.5)
    assert settings(NEO4J_MAX_TRANSACTION_RETRY_TIME="0")["max_transaction_retry_time"] == 0.0


def test_driver_tuning_applies_to_the_local_engine_too(monkeypatch, tmp_path):
    monkeypatch.setenv("TANSIQ_VAR_DIR", str(tmp_path))
    local = neo4j_settings({"NEO4J_MAX_CONNECTION_POOL_SIZE": "8"})
    assert local["uri"] == "bolt://127.0.0.1:7687" and local["max_connection_pool_size"] == 8


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("NEO4J_MAX_TRANSACTION_RETRY_TIME", "trente", "une durée en secondes de 0 à 300"),
        ("NEO4J_MAX_TRANSACTION_RETRY_TIME", "-1", "une durée en secondes de 0 à 300"),
        ("NEO4J_MAX_TRANSACTION_RETRY_TIME", "3600", "une durée en secondes de 0 à 300"),
        ("NEO4J_MAX_TRANSACTION_RETRY_TIME", "nan", "une durée en secondes de 0 à 300"),
        ("NEO4J_CONNECTION_TIMEOUT", "0", "une durée en secondes de 0,1 à 300"),
        ("NEO4J_CONNECTION_TIMEOUT", "5s", "une durée en secondes de 0,1 à 300"),
        ("NEO4J_MAX_CONNECTION_POOL_SIZE", "0", "un nombre entier de 1 à 10000"),
        ("NEO4J_MAX_CONNECTION_POOL_SIZE", "12.5", "un nombre entier de 1 à 10000"),
        ("NEO4J_MAX_CONNECTION_POOL_SIZE", "١٢", "un nombre entier de 1 à 10000"),
    ],
)
def test_a_refused_tuning_value_names_the_variable_and_its_default(variable, value, expected):
    message = refusal(**{variable: value})
    assert message.startswith(f"{variable} refusée : « {value} » n'est pas {expected}.")
    assert f"Corrigez {variable}, ou retirez-la pour garder" in message


def test_the_flask_command_prints_the_refusal_alone_and_exits_1(tmp_path):
    """What `make run` shows before it stops: no traceback, no connection attempted."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webui", "graph", "status"],
        cwd=ROOT,
        env={
            "NEO4J_URI": "http://127.0.0.1:7474",
            "TANSIQ_VAR_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Error: NEO4J_URI refusée : « http://127.0.0.1:7474 »" in result.stderr
    assert "Neo4j ne répond pas" not in result.stderr + result.stdout
