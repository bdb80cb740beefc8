"""The fast cell helpers give exactly what the plain definitions give, for any text.

`fold`, `is_blank` and `clean_text` take shortcuts (str methods instead of the regex,
results cached per distinct text); `lookup` folds a vocabulary once. The references
below are their plain definitions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from data_access.write.importing import synonyms as K
from data_access.write.importing.kinds import header_key
from data_access.write.importing.normalise import (
    BLANK_CHARS,
    CellError,
    clean_text,
    fold,
    is_blank,
    parse_date,
)

SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def reference_is_blank(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return isinstance(value, str) and SPACES.sub("", value) == ""


def reference_clean_text(value: object) -> str:
    if reference_is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip(" \t\n\u3000\u00a0\u200b\ufeff")


def reference_fold(value: object) -> str:
    return SPACES.sub("", unicodedata.normalize("NFKC", reference_clean_text(value))).lower()


def reference_lookup(value: object, table: dict[str, tuple[str, ...]]) -> str | None:
    key = reference_fold(value)
    for canonical, synonyms in table.items():
        if key == reference_fold(canonical) or key in {reference_fold(s) for s in synonyms}:
            return canonical
    return None


def test_blank_chars_are_exactly_what_the_space_pattern_matches() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert set("".join(SPACES.findall(every))) == set(BLANK_CHARS)


def test_every_character_folds_as_before() -> None:
    every = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    for start in range(0, len(every), 16):
        text = " ".join(every[start : start + 16]) + "\u0301 "
        assert fold(text) == reference_fold(text), hex(ord(every[start]))
    for c in BLANK_CHARS + "\u00a8\u00b4\u3000\uff21\u2460":
        assert fold(c) == reference_fold(c) and fold(f"{c}x{c}") == reference_fold(f"{c}x{c}")


TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=("Cs",)),
        st.sampled_from(list(BLANK_CHARS + "\r\n全角ＡＢＣ１２３（）：:*合计小计")),
    ),
    max_size=20,
)
VALUES = st.one_of(
    TEXT,
    st.none(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=2000, deadline=None)
@given(VALUES)
def test_fold_blank_and_clean_text_agree_with_their_definitions(value: object) -> None:
    assert is_blank(value) == reference_is_blank(value)
    assert clean_text(value) == reference_clean_text(value)
    assert fold(value) == reference_fold(value)
    assert fold(value) == fold(value)  # a cached result is the same


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_header_keys_and_lookups_agree_with_their_definitions(text: str) -> None:
    assert header_key(text) == re.sub(
        r"\((万元|元|个|份|件|%|万|是/否|yyyy-mm-dd|选填|必填)\)$", "", reference_fold(text)
    ).replace("*", "").replace("：", "").replace(":", "")
    for table in (K.CHANNEL_SYNONYMS, K.ATTRIBUTE_SYNONYMS, K.APPLICANT_SYNONYMS, K.BOARD_KIND_SYNONYMS):
        assert K.lookup(text, table) == reference_lookup(text, table)


def test_lookups_of_every_synonym_and_tables_built_on_the_fly() -> None:
    for table in (K.CHANNEL_SYNONYMS, K.ATTRIBUTE_SYNONYMS, K.APPLICANT_SYNONYMS, K.APPEAL_KIND_SYNONYMS):
        for canonical, synonyms in table.items():
            for name in (canonical, *synonyms, f" {canonical.upper()} "):
                assert K.lookup(name, table) == reference_lookup(name, table)
    listed = {"a": ["甲", "乙"], "b": ["乙"]}
    assert K.lookup("乙", listed) == "a"  # synonyms in a list, the first canonical value wins


def test_cached_dates_are_the_same_and_errors_are_not_cached() -> None:
    assert parse_date("2018-12-03") == parse_date("2018-12-03") == dt.date(2018, 12, 3)
    for _ in range(2):
        try:
            parse_date("2018-02-30")
        except CellError as exc:
            assert "不存在" in str(exc)
        else:
            raise AssertionError("2018-02-30 parsed")
