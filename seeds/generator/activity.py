"""The activity of a commune: events with their sign-in sheets, interactions logged by the
region's officer with their follow-ups, and partnerships."""

from __future__ import annotations

from datetime import timedelta

from crm.text import search_key
from graph.vocabulary import THEMES, TRAINING_MODULES
from seeds.generator import catalogue as cat
from seeds.generator.plan import MANAGER_EMAIL, WINDOW, Commune, Province, officer_email, weight
from seeds.generator.records import Builder, Org, Person

__all__ = ["add_events", "add_interactions", "add_partnerships"]


def add_events(
    b: Builder,
    commune: Commune,
    orgs: list[Org],
    provincial: list[Org],
    pool: dict[str, list[Person]],
) -> None:
    rng, size, as_of = b.rng, b.size, b.as_of
    kinds = list(cat.EVENT_TITLES)
    for _ in range(b.count(size.events[0 if commune.pilot else 1], weight(b.size, commune))):
        kind = rng.choices(kinds, (20, 18, 10, 16, 6, 8, 14, 8))[0]
        day = b.day_between(as_of - timedelta(days=WINDOW), as_of + timedelta(days=60))
        module = rng.choice(list(TRAINING_MODULES)) if kind == "training" else None
        theme = rng.choice(list(THEMES))
        title = rng.choice(cat.EVENT_TITLES[kind]).format(
            commune=commune.name_fr,
            module=TRAINING_MODULES[module].split(" (")[0] if module else "",
            theme=THEMES[theme].lower(),
            month=cat.MONTHS[day.month - 1],
        )
        hosts = [o for o in orgs if o.kind in ("commune_council", "council_body", "osc")] or orgs
        organisers = [rng.choice(hosts)]
        if rng.random() < 0.3:
            organisers.append(rng.choice(provincial))
        start = rng.choice((9, 9, 10, 14, 15))
        created = b.instant(day - timedelta(days=rng.randint(7, 45)))
        props = {
            "title": title,
            "kind": kind,
            "starts_at": f"{day.isoformat()}T{start:02d}:{rng.choice((0, 30)):02d}",
            "ends_at": f"{day.isoformat()}T{start + rng.randint(2, 4):02d}:00",
            "start_date": day,
            "venue": rng.choice(cat.VENUES),
            "themes": [theme],
            "description": "",
            "module": module,
            "search_key": search_key(title),
            "uid": b.uid(),
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        cancelled = rng.random() < 0.03
        if cancelled:
            props["cancelled_at"] = b.instant(min(day, as_of) - timedelta(days=rng.randint(1, 5)))
            props["cancel_reason"] = "Reporté à une date ultérieure"
            props.update(version=2, updated_at=max(created, props["cancelled_at"]))
        b.chunk.events.append(
            {
                "uid": props["uid"],
                "commune": commune.code,
                "organisers": [o.uid for o in organisers],
                "props": props,
            }
        )
        if day <= as_of and not cancelled:
            sign_in_sheet(b, props, organisers, pool)


def sign_in_sheet(
    b: Builder, event: dict, organisers: list[Org], pool: dict[str, list[Person]]
) -> None:
    """Who came: mostly people of the commune, some of the province and region; one of the
    organisers' people signs as organiser, a few speak or facilitate."""
    rng = b.rng
    wanted = rng.randint(*b.size.attendance)
    chosen: dict[str, Person] = {}
    for person in [b.people[uid] for uid in organisers[0].members[:1] if uid in b.people]:
        chosen[person.uid] = person
    for source, share in (("commune", 0.7), ("province", 0.22), ("region", 0.08)):
        people = pool[source]
        take = min(len(people), max(0, round(wanted * share)))
        for person in rng.sample(people, take):
            chosen.setdefault(person.uid, person)
    added = event["start_date"] + timedelta(days=rng.randint(0, 3))
    stamp = b.instant(added)
    event["updated_at"] = max(event["updated_at"], stamp)
    for n, person in enumerate(chosen.values()):
        role = (
            "organiser"
            if n == 0
            else rng.choices(("participant", "speaker", "facilitator"), (90, 7, 3))[0]
        )
        for_organisation = person.orgs[0] if person.orgs and rng.random() < 0.85 else None
        b.chunk.attendance.append(
            {
                "event": event["uid"],
                "person": person.uid,
                "props": {
                    "uid": b.uid(dashed=True),
                    "role": role,
                    "for_organisation": for_organisation,
                    "added_at": stamp,
                },
            }
        )


def add_interactions(
    b: Builder,
    commune: Commune,
    orgs: list[Org],
    others: list[Org],
    pool: dict[str, list[Person]],
    indh: Org,
    province: Province,
) -> None:
    rng, size, as_of = b.rng, b.size, b.as_of
    officer = officer_email(province.region)
    kinds = ("meeting", "call", "visit", "email", "message")
    for _ in range(b.count(size.interactions[0 if commune.pilot else 1], weight(b.size, commune))):
        kind = rng.choices(kinds, (40, 30, 15, 8, 7))[0]
        status = rng.choices(("held", "planned", "cancelled"), (89, 8, 3))[0]
        if status == "planned":
            day = b.day_between(as_of, as_of + timedelta(days=45))
            created = b.instant(as_of - timedelta(days=rng.randint(0, 20)))
        else:
            day = b.day_between(as_of - timedelta(days=WINDOW), as_of)
            created = b.instant(min(as_of, day + timedelta(days=rng.randint(0, 3))))
        people_pool = pool["commune"] if rng.random() < 0.75 else pool["province"] + pool["region"]
        people = rng.sample(
            people_pool or pool["commune"],
            min(rng.choice((1, 1, 2, 3)), len(people_pool or pool["commune"])),
        )
        organisations = []
        if people and people[0].orgs and rng.random() < 0.6:
            organisations.append(people[0].orgs[0])
        if rng.random() < 0.05:
            organisations.append(indh.uid)
        elif rng.random() < 0.1:
            organisations.append(rng.choice(others).uid)
        if not people and not organisations:
            organisations.append(orgs[0].uid)
        theme = THEMES[rng.choice(list(THEMES))].lower()
        in_person = kind in ("meeting", "visit")
        props = {
            "kind": kind,
            "date": day,
            "start_time": f"{rng.randint(8, 17):02d}:{rng.choice((0, 15, 30, 45)):02d}"
            if in_person
            else "",
            "venue": rng.choice(cat.VENUES) if in_person and rng.random() < 0.6 else "",
            "summary": rng.choice(cat.INTERACTION_SUMMARIES).format(theme=theme),
            "status": status,
            "uid": b.uid(),
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        if status == "cancelled":
            props.update(version=2, updated_at=b.instant(day))
        b.chunk.interactions.append(
            {
                "uid": props["uid"],
                "logger": officer,
                "commune": commune.code if in_person else None,
                "people": list(dict.fromkeys(p.uid for p in people)),
                "organisations": list(dict.fromkeys(organisations)),
                "props": props,
            }
        )
        add_follow_ups(b, props, officer)


def add_follow_ups(b: Builder, interaction: dict, officer: str) -> None:
    """What was promised: due after a held interaction (some done, some overdue), or while
    preparing a planned one (not before today)."""
    rng, as_of = b.rng, b.as_of
    status, day = interaction["status"], interaction["date"]
    if status == "cancelled" or rng.random() >= (0.35 if status == "held" else 0.4):
        return
    for _ in range(rng.choice((1, 1, 2))):
        if status == "held":
            due = day + timedelta(days=rng.randint(2, 45))
        else:
            due = b.day_between(as_of, day)
        done_at = None
        if due < as_of and rng.random() < 0.7 or due >= as_of and rng.random() < 0.15:
            done_at = b.instant(b.day_between(day, min(as_of, due + timedelta(days=10))))
            done_at = max(done_at, interaction["created_at"])
        stamp = done_at or interaction["created_at"]
        props = {
            "uid": b.uid(),
            "what": rng.choice(cat.FOLLOW_UP_ACTIONS),
            "due": due,
            "created_at": interaction["created_at"],
            "updated_at": stamp,
        }
        if done_at is not None:
            props["done_at"] = done_at
        assignee = officer if rng.random() < 0.9 else MANAGER_EMAIL
        b.chunk.follow_ups.append(
            {"interaction": interaction["uid"], "assignee": assignee, "props": props}
        )


def add_partnerships(
    b: Builder,
    orgs: list[Org],
    provincial: list[Org],
    beyond: list[Org],
    commune_orgs: dict[str, list[Org]],
) -> None:
    """Conventions and subsidies around the associations of a commune: with their council,
    the INDH coordination, a network, another commune's actors, or a regional or national
    partner."""
    rng = b.rng
    council = orgs[0]
    civil = [o for o in orgs if o.kind in ("osc", "cooperative", "osc_network")]
    networks = [o for o in civil if o.kind == "osc_network"]
    for org in civil:
        for _ in range(b.count(b.size.partnership_rate)):
            roll = rng.random()
            if org.kind == "osc_network" or roll < 0.35:
                other, kind = council, rng.choice(("convention", "subsidy"))
            elif roll < 0.6:
                other, kind = provincial[1], "subsidy"  # the INDH coordination
            elif roll < 0.7 and networks:
                other, kind = networks[0], "network"
            elif roll < 0.85:
                nearby = rng.choice(list(commune_orgs.values()))
                other, kind = rng.choice(nearby), "joint_project"
            else:
                other, kind = rng.choice(beyond), rng.choice(("mou", "joint_project", "subsidy"))
            if other.uid != org.uid:
                add_partnership(b, org, other, kind)
    if rng.random() < 0.2:
        add_partnership(b, council, provincial[0], "convention")


def add_partnership(b: Builder, first: Org, second: Org, kind: str) -> None:
    rng, as_of = b.rng, b.as_of
    since = b.day_between(as_of - timedelta(days=4 * 365), as_of + timedelta(days=90))
    until = since + timedelta(days=rng.choice((365, 730, 1095))) if rng.random() < 0.7 else None
    status = "planned" if since > as_of else "ended" if until and until < as_of else "active"
    title = rng.choice(cat.PARTNERSHIP_TITLES[kind]).format(
        year=since.year, theme=THEMES[rng.choice(list(THEMES))].lower()
    )
    stamp = b.instant(min(since, as_of))
    b.chunk.partnerships.append(
        {
            "first": first.uid,
            "second": second.uid,
            "props": {
                "uid": b.uid(),
                "kind": kind,
                "title": title,
                "since": since,
                "until": until,
                "status": status,
                "version": 1,
                "created_at": stamp,
                "updated_at": stamp,
            },
        }
    )
