"""`flask graph …`, `flask seeds …`, `flask users …`: setup tasks run from the shell."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from crm import clock, privacy, search, users
from crm.errors import Conflict, Invalid
from graph import backup
from graph.database import UNAVAILABLE_ERRORS, DatabaseUnavailable, ping
from graph.geography import geography_counts
from graph.schema import install_schema
from graph.vocabulary import USER_ROLES
from seeds import generator, geography, institutions

__all__ = ["crm_cli", "graph_cli", "privacy_cli", "seeds_cli", "users_cli"]

graph_cli = AppGroup("graph", help="Schéma et état de la base Neo4j.")
seeds_cli = AppGroup(
    "seeds", help="Données de référence (géographie administrative) et données générées."
)
users_cli = AppGroup("users", help="Comptes des utilisateurs.")
privacy_cli = AppGroup("privacy", help="Protection des données personnelles (loi 09-08).")
crm_cli = AppGroup("crm", help="Sauvegarde et restauration de toutes les données.")


def needs_database(func: Callable) -> Callable:
    """Turn an unreachable Neo4j into one clear sentence and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            ping()
            return func(*args, **kwargs)
        except (*UNAVAILABLE_ERRORS, DatabaseUnavailable) as exc:
            uri = current_app.config["NEO4J"]["uri"]
            raise click.ClickException(
                f"Neo4j ne répond pas à {uri} ({type(exc).__name__}) : démarrez-le avec "
                "`make run`, ou corrigez NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD."
            ) from None

    return wrapper


@graph_cli.command("install-schema")
@needs_database
def install_schema_command() -> None:
    """Create the uniqueness constraints and indexes (idempotent).

    Records written before the search keys existed get them (see `flask graph reindex`).
    """
    names = install_schema()
    click.echo(f"Schéma installé : {len(names)} contraintes.")
    _echo_reindexed(search.reindex(only_missing=True))


@graph_cli.command("reindex")
@click.option("--all", "everything", is_flag=True, help="Recalculer toutes les fiches.")
@needs_database
def reindex_command(everything: bool) -> None:
    """Recompute the search keys of people and organisations (idempotent).

    Without --all only records that lack them; with --all every record, e.g. after the
    normalisation rules of crm.text changed.
    """
    _echo_reindexed(search.reindex(only_missing=not everything))


def _echo_reindexed(counts: dict[str, int]) -> None:
    click.echo(
        "Clés de recherche mises à jour : {Person} personne(s), "
        "{Organisation} organisation(s).".format(**counts)
    )


@graph_cli.command("status")
@needs_database
def status_command() -> None:
    """Say whether Neo4j answers and what reference data it holds."""
    counts = geography_counts()
    click.echo(f"Neo4j répond à {current_app.config['NEO4J']['uri']}.")
    click.echo(
        "Régions : {regions} (dont {programme_regions} du programme), provinces et préfectures :"
        " {provinces}, communes : {communes}.".format(**counts)
    )


@seeds_cli.command("load")
@click.option("--if-missing", is_flag=True, help="Ne rien faire si les communes sont déjà là.")
@needs_database
def load_command(if_missing: bool) -> None:
    """Load the administrative geography (12 regions, 75 provinces, 1,503 communes) and the
    reference institutions (DGCT, INDH, ANAPEC, regional councils, CRI, universities)."""
    if if_missing and geography_counts()["communes"] >= 1503:
        click.echo("Géographie déjà chargée.")
    else:
        counts = geography.load()
        click.echo(
            "Géographie chargée : {regions} régions, {provinces} provinces et préfectures, "
            "{communes} communes ({located_communes} localisées).".format(**counts)
        )
    click.echo(f"Institutions de référence : {institutions.load()}.")


@seeds_cli.command("generate")
@click.option(
    "--size",
    type=click.Choice(list(generator.SIZES)),
    default="small",
    show_default=True,
    help="small : quelques centaines de fiches ; programme : 5 régions ; national : 12 régions.",
)
@click.option(
    "--seed", type=int, default=2026, show_default=True, help="Même graine, mêmes données."
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date du jour des données (AAAA-MM-JJ) ; par défaut aujourd'hui.",
)
@click.option("--dry-run", is_flag=True, help="Compter seulement, sans rien écrire.")
@needs_database
def generate_command(size: str, seed: int, as_of: datetime | None, dry_run: bool) -> None:
    """Generate deterministic demonstration data on the real geography (organisations,
    people, functions, events, interactions, follow-ups, partnerships), marked :Generated.

    The accounts made for it (a manager and an officer per region) share the password of
    TANSIQ_GENERATED_PASSWORD, or one generated and printed once.
    """
    day = as_of.date() if as_of else clock.today()
    if dry_run:
        _echo_counts("Seraient générés", generator.count(size, seed, day))
        return
    password = os.environ.get("TANSIQ_GENERATED_PASSWORD") or generator.new_password()
    # Its statements find each record by uid: without the constraints and indexes a national
    # generation would scan labels for hours instead of minutes (idempotent, a second here).
    install_schema()
    try:
        counts = generator.load(size, seed, day, password)
    except generator.AlreadyGenerated:
        raise click.ClickException(
            "Des données générées sont déjà présentes : supprimez-les d'abord avec "
            "`flask seeds remove-generated`."
        ) from None
    except Invalid as exc:
        raise click.ClickException(_message(exc)) from None
    _echo_counts("Générés", counts)
    click.echo("Comptes créés (rôle, adresse) :")
    for account in generator.accounts(generator.SIZES[size]):
        click.echo(f"  {USER_ROLES[account['role']]} : {account['email']}")
    if not os.environ.get("TANSIQ_GENERATED_PASSWORD"):
        click.echo(f"Mot de passe de ces comptes (affiché une seule fois) : {password}")


def _echo_counts(heading: str, counts: dict[str, int]) -> None:
    click.echo(
        f"{heading} : {counts['organisations']} organisations, {counts['people']} personnes, "
        f"{counts['events']} événements, {counts['interactions']} interactions, "
        f"{counts['follow_ups']} suivis, {counts['ties']} liens."
    )


@seeds_cli.command("remove-generated")
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
@needs_database
def remove_generated_command(yes: bool) -> None:
    """Delete every generated record and account (label :Generated), with their links.

    The geography, the reference institutions and the records users made stay.
    """
    if not yes:
        click.confirm("Supprimer toutes les données générées ?", abort=True)
    counts = generator.remove()
    removed = ", ".join(f"{label} : {n}" for label, n in counts.items()) or "aucune"
    click.echo(f"Données générées supprimées ({removed}).")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice(sorted(USER_ROLES)), required=True)
@click.password_option()
@needs_database
def create_user_command(email: str, display_name: str, role: str, password: str) -> None:
    """Create an account."""
    try:
        users.create_user(email, display_name, password, role)
    except (Invalid, Conflict) as exc:
        raise click.ClickException(_message(exc)) from None
    click.echo(f"Compte créé : {email} ({USER_ROLES[role]}).")


@users_cli.command("ensure-admin")
@needs_database
def ensure_admin_command() -> None:
    """Create the first administrator if there is none.

    Login and password come from TANSIQ_ADMIN_EMAIL / TANSIQ_ADMIN_PASSWORD; without a
    password one is generated and printed once.
    """
    try:
        created = users.ensure_admin(
            os.environ.get("TANSIQ_ADMIN_EMAIL"), os.environ.get("TANSIQ_ADMIN_PASSWORD")
        )
    except Invalid as exc:
        raise click.ClickException(_admin_refusal(exc)) from None
    if created is None:
        click.echo("Un administrateur existe déjà.")
        return
    email, generated = created
    click.echo(f"Administrateur créé : {email}")
    if generated:
        click.echo(f"Mot de passe (affiché une seule fois) : {generated}")


# What to do about each refused setting of the first administrator (ensure-admin).
_ADMIN_SETTINGS = {
    "admin_email": (
        "TANSIQ_ADMIN_EMAIL",
        "Corrigez TANSIQ_ADMIN_EMAIL, ou retirez-la pour utiliser "
        f"{users.DEFAULT_ADMIN_EMAIL}, puis relancez.",
    ),
    "admin_password": (
        "TANSIQ_ADMIN_PASSWORD",
        "Choisissez une autre phrase de passe, ou retirez TANSIQ_ADMIN_PASSWORD : un mot de "
        "passe sera généré et affiché une seule fois.",
    ),
}


def _admin_refusal(exc: Invalid) -> str:
    """The refusal of ``ensure_admin``, naming the environment variable at fault."""
    lines = []
    for key, message in exc.errors.items():
        variable, remedy = _ADMIN_SETTINGS.get(key, ("", ""))
        if key == "admin_email" and not os.environ.get("TANSIQ_ADMIN_EMAIL"):
            variable = ""  # the default address: nothing in the environment to correct
        lines.append(f"{variable} refusée : {message} {remedy}" if variable else message)
    return "\n".join(lines)


def _message(exc: Exception) -> str:
    if isinstance(exc, Invalid):
        return " ".join(exc.errors.values())
    return str(exc)


@privacy_cli.command("apply-retention")
@needs_database
def apply_retention_command() -> None:
    """Anonymise every person whose retention date has passed (run it daily, e.g. from cron)."""
    count = privacy.apply_retention()
    click.echo(f"{count} fiche(s) anonymisée(s) : durée de conservation échue.")


@crm_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@needs_database
def backup_command(file: str) -> None:
    """Write the whole graph (records, users, audit trail) to FILE (gzip-compressed)."""
    counts = backup.dump(file)
    click.echo(
        f"Sauvegarde écrite dans {file} : {counts['nodes']} nœuds, "
        f"{counts['relationships']} relations."
    )


@crm_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@needs_database
def restore_command(file: str) -> None:
    """Load the backup FILE into an empty database (refuses a database holding data)."""
    try:
        counts = backup.load(file)
    except (backup.BadBackup, backup.NotEmpty) as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(
        f"Restauration terminée : {counts['nodes']} nœuds, {counts['relationships']} relations."
    )
