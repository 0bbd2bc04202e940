"""Who may change a partnership: whoever may change one of its organisations and see the other."""

import pytest

from crm.partnerships import writable_between

MINE = {"visible": True, "writable": True}  # an association of the officer's territory
SHARED = {"visible": True, "writable": False}  # INDH: a shared national institution
OUTSIDE = {"visible": False, "writable": False}  # an organisation of another region


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (MINE, MINE, True),
        (MINE, SHARED, True),  # an association signs with INDH
        (SHARED, MINE, True),  # the direction carries no meaning
        (SHARED, SHARED, False),  # two institutions the officer only reads
        (MINE, OUTSIDE, False),  # a partner the officer cannot see
        (OUTSIDE, MINE, False),
        (OUTSIDE, SHARED, False),
        (OUTSIDE, OUTSIDE, False),
    ],
)
def test_a_partnership_is_writable_from_one_writable_side_and_a_visible_other(
    first, second, expected
):
    assert writable_between(first, second) is expected
