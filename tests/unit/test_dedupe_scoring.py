"""Duplicate scoring and the merge of two records' fields (no database)."""

from datetime import date

import pytest

from crm.dedupe import MIN_SCORE, combine_records
from crm.errors import Invalid
from crm.matching import PersonProfile, score_organisations, score_people

OUJDA = "02.411.01.23"
BERKANE = "02.111.01.01"


def person(first, last, first_ar="", last_ar="", **extra):
    names = {"first_name": first, "last_name": last, "first_name_ar": first_ar}
    return {**names, "last_name_ar": last_ar, "phones": [], "emails": [], "commune": OUJDA, **extra}


def organisation(name, name_ar="", **extra):
    return {"name": name, "name_ar": name_ar, "acronym": "", "kind": "osc", "phone": "",
            "email": "", "website": "", "commune": OUJDA, **extra}  # fmt: skip


# --- people ----------------------------------------------------------------------------------


def test_transliterated_name_with_the_same_arabic_name_scores_high():
    score = score_people(
        person("Mohamed", "Alami", "محمد", "العلمي"),
        person("Mohammed", "El Alami", "مُحمد", "العلمى"),
    )
    assert score.points >= 90
    assert "même nom (translittération)" in score.reasons
    assert "même nom en arabe" in score.reasons


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Mohamed", "Alami"), ("Mhamed", "Al-Alami")),
        (("Fatima Zahra", "Bennani"), ("Fatima-Zahra", "Benani")),
        (("Youssef", "Ouazzani"), ("Yousef", "Ouazani")),
    ],
)
def test_spelling_variants_alone_are_proposed(a, b):
    score = score_people(person(*a), person(*b))
    assert score.points >= MIN_SCORE
    assert score.reasons[0] == "même nom (translittération)"


@pytest.mark.parametrize(
    ("clean", "dirty"),
    [
        (("Fatima Zahra", "Bennani"), ("Fatima\x00 Zahra", "Bennani")),
        (("Fatima Zahra", "Bennani"), ("Fatima • Zahra", "Bennani")),
        (("Fatima Zahra", "Bennani"), ("Fatima - ? Zahra", "Bennani")),
        (("Fatima Zahra", "Bennani"), ("Fatima_Zahra", "Bennani _")),
        (("Fatima Zahra", "Bennani"), ("Fati\u00adma Zahra", "Bennani")),
        (("Mohamed", "Alami"), ("Mohamed 2", "Alami")),
        (("Mohamed", "Alami"), ("2. Mohamed", "Alami ٣")),
        # Arabic typed in the main name fields.
        (("مصطفى", "العلوي"), ("مصطفـــى", "العلوي")),
        (("مصطفى", "العلوي"), ("مصطفی", "العلوى")),
        (("علي", "بناني"), ("على", "بنانی")),
        (("فاطمة", "بناني"), ("فاطمه", "بناني")),
        (("أحمد", "التازي"), ("احمد", "التازي")),
        (("أحمد", "التازي"), ("إحمد ـ 2", "التازي")),
    ],
)
def test_dirty_spellings_pair_with_the_clean_one(clean, dirty):
    a, b = person(*clean), person(*dirty)
    score = score_people(a, b)
    assert score.points >= MIN_SCORE, score
    assert score.reasons[0] == "même nom"
    # Blocking must bring the two records together, or the pair is never scored.
    assert PersonProfile.of(a).blocks() & PersonProfile.of(b).blocks()


@pytest.mark.parametrize(
    ("clean", "dirty"),
    [
        (("مصطفى", "العلوي"), ("مصطفـــى", "العلوى")),
        (("مصطفى", "العلوي"), ("مصطفی", "العلوی")),
        (("علي", "العلمي"), ("على", "العلمى")),
        (("فاطمة الزهراء", "بناني"), ("فاطمه الزهراء", "بنانی")),
        (("أحمد", "التازي"), ("إحمد", "التازي ـ")),
    ],
)
def test_dirty_arabic_names_are_the_same_arabic_name(clean, dirty):
    a = person("Mostafa", "Alaoui", *clean)
    b = person("Mostafa", "Alaoui", *dirty)
    score = score_people(a, b)
    assert "même nom en arabe" in score.reasons, score
    assert PersonProfile.of(a).arabic == PersonProfile.of(b).arabic
    assert "ar:" + PersonProfile.of(a).arabic in PersonProfile.of(b).blocks()


def test_different_people_score_low():
    score = score_people(
        person("Karim", "Idrissi", "كريم", "الإدريسي", gender="m"),
        person("Fatima Zahra", "Bennani", "فاطمة الزهراء", "بناني", gender="f"),
    )
    assert score.points < 20


def test_a_shared_phone_raises_the_score():
    a = person("Mohamed", "Alami")
    b = person("Mohamed", "Alaoui")  # another family: the names alone are not enough
    alone = score_people(a, b)
    shared = score_people({**a, "phones": ["+212661234567"]}, {**b, "phones": ["+212661234567"]})
    assert alone.points < MIN_SCORE <= shared.points
    assert "même téléphone" in shared.reasons and "même téléphone" not in alone.reasons


def test_a_shared_email_raises_the_score():
    a, b = person("Karim", "Idrissi"), person("K.", "Drissi")
    email = {"emails": ["k.idrissi@example.org"]}
    assert score_people({**a, **email}, {**b, **email}).points > score_people(a, b).points


def test_swapped_first_and_last_name_and_initials_are_recognised():
    swapped = score_people(person("Mohamed", "Alami"), person("Alami", "Mohammed"))
    assert "même nom (prénom et nom inversés)" in swapped.reasons
    initial = score_people(person("M.", "Alami"), person("Mohamed", "El Alami"))
    assert "même nom, prénom abrégé" in initial.reasons


def test_different_genders_or_arabic_names_lower_the_score():
    same = score_people(person("Rachid", "Alami"), person("Rachida", "Alami"))
    genders = score_people(
        person("Rachid", "Alami", gender="m"), person("Rachida", "Alami", gender="f")
    )
    assert genders.points < same.points and "genres différents" in genders.reasons
    arabic = score_people(
        person("Mohamed", "Alami", "محمد", "العلمي"), person("Mohamed", "Alami", "محمد", "العلوي")
    )
    assert "noms en arabe différents" in arabic.reasons
    latin_only = score_people(person("Mohamed", "Alami"), person("Mohamed", "Alami"))
    assert arabic.points < latin_only.points


def test_scores_are_symmetric_and_bounded():
    contact = {"phones": ["+212661234567"], "emails": ["m@x.ma"]}
    a = person("Mohamed", "Alami", "محمد", "العلمي", **contact)
    b = person("Mohammed", "El Alami", "محمد", "العلمي", **contact)
    assert score_people(a, b) == score_people(b, a)
    assert score_people(a, b).points == 100
    c = person("Rachid", "Bennani", gender="m", commune=BERKANE)
    d = person("Amina", "Tazi", "أمينة", "التازي", gender="f")
    assert score_people(c, d).points == 0


# --- organisations ---------------------------------------------------------------------------


def test_organisation_names_with_an_article_or_common_words_match():
    score = score_organisations(
        organisation("Association Nour pour le développement"),
        organisation("Association Ennour pour le developpement"),
    )
    assert score.points >= MIN_SCORE
    assert score.reasons[0] == "nom proche"
    words = score_organisations(organisation("Association Nour"), organisation("Nour", acronym=""))
    assert words.reasons[0] == "même nom (translittération)"


def test_same_name_in_another_commune_is_not_proposed_without_more():
    a = organisation("Association Nour", "جمعية النور")
    b = organisation("Association Nour", "جمعية النور", commune=BERKANE)
    assert score_organisations(a, b).points < MIN_SCORE
    phone = {"phone": "+212536681234"}
    assert score_organisations({**a, **phone}, {**b, **phone}).points >= MIN_SCORE


def test_unrelated_organisations_score_low():
    score = score_organisations(
        organisation("Association Amal pour le développement"),
        organisation("Association Nour pour le développement"),
    )
    assert score.points < MIN_SCORE


def test_shared_website_and_acronym_count():
    a = organisation("Réseau des associations de Jerada", acronym="RAJ", website="https://raj.ma")
    b = organisation("RAJ Jerada", acronym="R.A.J.", website="http://www.raj.ma/contact")
    score = score_organisations(a, b)
    assert {"même sigle", "même site web"} <= set(score.reasons)
    assert score.points >= MIN_SCORE


# --- combining the fields of two records -----------------------------------------------------


def test_merge_fills_empty_fields_unites_lists_and_keeps_what_differs_aside():
    kept = {"uid": "k", "version": 3, "first_name": "Mohamed", "last_name": "Alami",
            "first_name_ar": "", "phones": ["+212661234567"], "emails": [],
            "themes": ["jeunesse"], "notes": "Président.", "gender": "m", "opposition": False,
            "retain_until": date(2030, 1, 1), "search_key": "old"}  # fmt: skip
    removed = {"uid": "r", "version": 1, "first_name": "Mohammed", "last_name": "El Alami",
               "first_name_ar": "محمد", "last_name_ar": "العلمي",
               "phones": ["+212661234567", "+212536000000"], "emails": ["m@alami.ma"],
               "themes": ["genre"], "notes": "Joignable le matin.", "opposition": True,
               "retain_until": date(2028, 6, 30), "gender": "m"}  # fmt: skip
    result = combine_records("person", kept, removed)
    props = result.props
    assert props["first_name_ar"] == "محمد" and props["last_name_ar"] == "العلمي"
    assert props["phones"] == ["+212661234567", "+212536000000"]
    assert props["emails"] == ["m@alami.ma"]
    assert props["themes"] == ["jeunesse", "genre"]
    assert props["notes"] == "Président.\n\nJoignable le matin."
    assert props["opposition"] is True  # an opposition on either record stands
    assert props["retain_until"] == date(2028, 6, 30)  # the earliest retention date
    assert props["search_key"].endswith("محمد العلمي m alami ma")  # as crm.people writes it
    assert props["name_key"] == "mahamad alama محمد علمي"
    assert "uid" not in props and "version" not in props and "first_name" not in props
    assert result.not_kept == {"first_name": "Mohammed", "last_name": "El Alami"}


def test_anonymised_records_and_two_reference_institutions_are_not_merged():
    with pytest.raises(Invalid):
        combine_records("person", {"first_name": "A"}, {"anonymised": True})
    with pytest.raises(Invalid):
        combine_records("organisation", {"seed_key": "indh"}, {"seed_key": "anapec"})
    shared = combine_records("organisation", {"name": "INDH"}, {"shared": True, "seed_key": "x"})
    assert shared.props["shared"] is True and shared.props["seed_key"] == "x"
