"""The bookmarks carried in a user's session cookie: only sane values are kept."""

from graph.database import (
    MAX_BOOKMARK_LENGTH,
    MAX_BOOKMARKS,
    causal,
    clean_bookmarks,
    follow,
    stop_following,
)


def test_only_lists_of_strings_of_a_sane_length_are_kept():
    assert clean_bookmarks(None) == ()
    assert clean_bookmarks("FB:abc") == ()  # a bare string is not a list of bookmarks
    assert clean_bookmarks({"FB:abc": 1}) == ()
    assert clean_bookmarks(["FB:a", 3, None, "", "x" * (MAX_BOOKMARK_LENGTH + 1), "FB:b"]) == (
        "FB:a",
        "FB:b",
    )


def test_repeats_are_dropped_and_the_last_ones_kept():
    values = [f"FB:{n}" for n in range(MAX_BOOKMARKS + 3)] + ["FB:0"]
    kept = clean_bookmarks(values)
    assert len(kept) == MAX_BOOKMARKS
    assert kept == tuple(f"FB:{n}" for n in range(3, MAX_BOOKMARKS + 3))


def test_following_is_scoped_to_the_context_that_started_it():
    assert causal() is None
    token = follow(["FB:a", 7])
    try:
        assert causal().bookmarks == ("FB:a",)
        assert not causal().changed
    finally:
        stop_following(token)
    assert causal() is None
