"""Invisible characters, look-alike letters and bidirectional tricks never make a `missing`.

Each row is a world list whose Kosovo option a person reads as "Kosovo" but whose code points
spell something else. Values are database ids, so only the label can say which country an
option is: the hardest case for the engine, and the common one on real sites.
"""

from __future__ import annotations

import pytest

from checks import analyze_html
from checks.lookalike import code_points, lookalike_variants, odd_characters
from checks.model import FieldVerdict, PageVerdict
from checks.text import norm
from tests.lists import page, select_html, world

VARIANTS = [
    # (label as sent, field verdict, the odd characters the evidence must name)
    ("Ko\u00adsovo", "listed", ["U+00AD SOFT HYPHEN"]),  # CMS hyphenation
    ("Ko\u200bsovo", "listed", ["U+200B ZERO WIDTH SPACE"]),
    ("Kos\u2060ovo", "listed", ["U+2060 WORD JOINER"]),
    ("Koso\u200dvo", "listed", ["U+200D ZERO WIDTH JOINER"]),
    ("\ufeffKosovo", "listed", ["U+FEFF ZERO WIDTH NO-BREAK SPACE"]),
    ("Kosovo\u200f", "listed", ["U+200F RIGHT-TO-LEFT MARK"]),
    ("\u2066Kosovo\u2069", "listed", ["U+2066 LEFT-TO-RIGHT ISOLATE",
                                     "U+2069 POP DIRECTIONAL ISOLATE"]),
    ("Ko\u200asovo", "listed", ["U+200A HAIR SPACE"]),
    ("\u2800Kosovo", "listed", ["U+2800 BRAILLE PATTERN BLANK"]),
    ("K\u043esovo", "listed", ["U+043E CYRILLIC SMALL LETTER O"]),  # Cyrillic о
    ("\u041a\u043es\u043ev\u043e", "listed", ["U+041A CYRILLIC CAPITAL LETTER KA",
                                               "U+043E CYRILLIC SMALL LETTER O"]),
    ("K\u03bfsovo", "listed", ["U+03BF GREEK SMALL LETTER OMICRON"]),
    ("K\u043esovo (Serbia)", "listed_qualified", ["U+043E CYRILLIC SMALL LETTER O"]),
    ("Ko\u00adso\u00advo*", "listed", ["U+00AD SOFT HYPHEN"]),
    ("Kosov\u00eb\u200b", "listed", ["U+200B ZERO WIDTH SPACE"]),
    # Readings that depend on layout or guesswork: neither listed nor missing.
    ("\u202eovosoK\u202c", "unknown", ["U+202E RIGHT-TO-LEFT OVERRIDE"]),
    ("Ko sovo", "unknown", []),
]


@pytest.mark.parametrize(("label", "verdict", "odd"), VARIANTS,
                         ids=[ascii(v[0]) for v in VARIANTS])
def test_an_odd_kosovo_label_is_never_missing(label: str, verdict: str, odd: list[str]) -> None:
    result = analyze_html(page(select_html(world(kosovo=label, values="index"))))
    field = result.fields[0]
    assert field.verdict == verdict
    assert result.verdict is not PageVerdict.MISSING
    assert field.kosovo is not None and field.kosovo.label == label
    if odd:
        assert field.kosovo.code_points is not None and "<U+" in field.kosovo.code_points
        assert all(name in field.notes[0] for name in odd), field.notes
    if verdict == "unknown":
        assert result.verdict is PageVerdict.ERROR and result.reason == "unrendered"
        assert "not judged" in field.notes[0]


def test_the_report_spells_out_the_code_points() -> None:
    result = analyze_html(page(select_html(world(kosovo="Ko\u00adsovo", values="index"))))
    entry = result.fields[0].to_dict()
    assert entry["kosovo"]["code_points"] == "Ko<U+00AD>sovo"
    assert entry["notes"] and "U+00AD SOFT HYPHEN" in entry["notes"][0]


def test_a_plain_kosovo_has_no_note() -> None:
    result = analyze_html(page(select_html(world(values="index"))))
    assert result.fields[0].verdict is FieldVerdict.LISTED
    assert result.fields[0].notes == ()
    assert "code_points" not in result.fields[0].to_dict()["kosovo"]


def test_a_right_to_left_override_with_a_code_value_is_listed() -> None:
    # The value says XK: the label's layout no longer matters.
    result = analyze_html(page(select_html(world(kosovo="\u202eovosoK\u202c"))))
    assert result.fields[0].verdict is FieldVerdict.LISTED


def test_invisible_characters_elsewhere_keep_the_list_world_wide() -> None:
    # Every label hyphenated by the CMS: still a world list, and still without Kosovo.
    rows = [(v, label[:3] + "\u00ad" + label[3:]) for v, label in world(kosovo=None,
                                                                       values="index")]
    result = analyze_html(page(select_html(rows)))
    assert result.fields[0].country_count >= 240
    assert result.verdict is PageVerdict.MISSING  # a true absence stays an absence


def test_a_whole_cyrillic_list_is_not_a_lookalike() -> None:
    assert odd_characters("Косово") == ()
    assert lookalike_variants("Сербия") == ()
    result = analyze_html(page(select_html(world("sr", kosovo="Косово", values="index"))))
    assert result.fields[0].verdict is FieldVerdict.LISTED
    assert result.fields[0].notes == ()


def test_a_lookalike_never_reads_another_country_as_kosovo() -> None:
    # Cyrillic letters in another country's name are noted nowhere and change nothing.
    rows = world(kosovo=None, values="index")
    rows = [(v, "Р\u043eland" if label == "Poland" else label) for v, label in rows]
    result = analyze_html(page(select_html(rows)))
    assert result.verdict is PageVerdict.MISSING
    assert result.fields[0].kosovo is None


def test_norm_drops_invisible_characters_instead_of_spacing_them() -> None:
    assert norm("Ko\u00adsovo") == norm("Ko\u200bso\u2060vo") == "kosovo"
    assert norm("Bosnia\u00a0& Herzegovina") == "bosnia and herzegovina"
    assert code_points("Ko\u00adsovo") == "Ko<U+00AD>sovo"


# -- lists longer than we read ----------------------------------------------------------------

def _long(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return rows + [(f"c{i}", f"Town {i}") for i in range(25_000)]


def test_a_list_longer_than_the_cap_is_never_missing_nor_dropped() -> None:
    # A world list without Kosovo, then more options than we read: Kosovo may come after.
    result = analyze_html(page(select_html(_long(world(kosovo=None)))))
    (field,) = result.fields
    assert field.verdict is FieldVerdict.UNKNOWN
    assert field.control.truncated and "read that far" in field.notes[0]
    assert result.verdict is PageVerdict.ERROR and result.reason == "unrendered"


def test_a_country_field_whose_first_part_is_not_countries_is_still_a_field() -> None:
    junk = [(f"x{i}", "—") for i in range(20_500)]
    result = analyze_html(page(select_html(junk + world(kosovo=None))))
    assert result.verdict is not PageVerdict.NO_COUNTRY_FIELD
    assert result.fields[0].verdict is FieldVerdict.UNKNOWN


def test_a_short_list_is_not_marked_truncated() -> None:
    result = analyze_html(page(select_html(world())))
    assert not result.fields[0].control.truncated
    assert "truncated" not in result.fields[0].control.to_dict()


# -- a re-read label whose value names another region ----------------------------------------

@pytest.mark.parametrize("label", ["K\u043esovo", "Ko\u2009sovo", "\u202eovosoK", "Ko sovo"],
                         ids=ascii)
@pytest.mark.parametrize("value", ["RS", "CS"])
def test_a_kosovo_label_with_another_regions_value_is_a_doubt(label: str, value: str) -> None:
    # The values are codes, so the option's value says "Serbia" (or the old Serbia and
    # Montenegro) while a person reads "Kosovo": which one the site means is not known.
    rows = [row for row in world(kosovo=None) if row[0] != value] + [(value, label)]
    result = analyze_html(page(select_html(rows)))
    (field,) = result.fields
    assert field.verdict is FieldVerdict.UNKNOWN
    assert result.verdict is not PageVerdict.MISSING
    assert field.kosovo is not None and field.kosovo.value == value
    assert "not judged" in field.notes[0]


def test_a_plain_name_still_wins_over_the_value() -> None:
    # "Kosovo" written plainly is Kosovo whatever the value says (a site reusing Serbia's code).
    rows = [row for row in world(kosovo=None) if row[0] != "RS"] + [("RS", "Kosovo")]
    assert analyze_html(page(select_html(rows))).fields[0].verdict is FieldVerdict.LISTED


def test_a_page_cut_at_the_size_cap_never_proves_an_absence() -> None:
    from checks.extract import MAX_DOCUMENT_CHARS

    # A world list whose last option is Kosovo, placed so that the page's size cap falls in
    # the middle of the list: the part read is a world list without Kosovo.
    select = select_html(world(kosovo=None)).replace(
        "</select>", '<option value="XK">Kosovo</option></select>')
    before = MAX_DOCUMENT_CHARS - len(select) // 2
    html = page("<p>" + "x" * before + "</p>" + select)
    cut = html[:MAX_DOCUMENT_CHARS]
    assert "<select" in cut and "Kosovo" not in cut
    result = analyze_html(html)
    (field,) = result.fields
    assert field.country_count >= 100 and field.control.truncated
    assert field.verdict is FieldVerdict.UNKNOWN and result.verdict is not PageVerdict.MISSING
    assert "document truncated before analysis" in result.notes
