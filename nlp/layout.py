"""The layout of a note: sections (SOAP and the like), lines, bullets, and clauses.

A clause is the unit the rest of the pipeline reads: a sentence, a ';'-separated item, a bullet, or a
flowsheet entry. Each clause knows its section, its line, whether a blank line came before it, and the
code heading it starts with ("Ther ex 15 min:", "TE 8'", "NMR:"), if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nlp.patterns import BULLET_MARKS, Patterns
from nlp.spans import SortedSpans
from nlp.text_pattern import TextPattern
from nlp.timewords import Minutes, TotalTime

BULLETS = ("-", "*", "•", "·", "–", "◦", "▪", "▫", "▸", "‣", "○", "■", "►", "➢", "☑", "☒", "✓", "✔")
# sections that, when written inline ("S: pt reports ..."), end with their line
INLINE_SECTIONS = {"goals", "measures", "diagnosis", "history", "vitals", "subjective", "assessment", "billing"}
LEAD_WORDS = 6  # "Pt seen today for 26 minutes of ther ex: bike 6 min, ..." still opens with its total
WORK_SECTIONS = {"none", "objective", "interventions"}
SENTENCE_SECTIONS = {"goals", "diagnosis", "history", "vitals"}
# "a.m." and "incl." do not end a sentence
SENTENCE_END = re.compile(r"(?<!\b[A-Za-z])(?<!\bincl)(?<!\bapprox)(?<!\besp)(?<!\bvs)[.|](?=\s)|\n")
PAIN_SCORE_NEXT = re.compile(r"\s*\d{1,2}(?:\.\d)?\s*/\s*10\b")
# "and" only after an entry's own time or its bracket: "ther ex 18 min (bike, step-ups) and gait 8 min on stairs"
INNER_SEPARATORS = re.compile(r",\s+|\s+--+\s+|\s+[—/]\s+|(?:(?<=\))|(?<=min)|(?<=mins)|(?<=minutes)|(?<='))\s+and\s+")
MINUTES_ONLY = re.compile(r"^[\s(~-]*(?:(?:for|x|about|approx\.?|over|total(?:ing)?)\s*)?"
                          r"(?:\d{1,3}\s*(?:min\w*|')|[a-z]+(?:-[a-z]+)? minutes)[\s).]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    label: str
    start: int  # start of the heading
    body_start: int
    end: int


@dataclass
class Clause:
    start: int
    end: int
    section: str
    line: int
    first_in_line: bool
    bullet: bool
    blank_before: bool
    heading_code: str | None = None
    heading_end: int | None = None  # where the heading words end (minutes may follow)
    soft_break: bool = False  # split from the clause before by ';' or a comma, not a sentence end or '|'
    labelled: bool = False  # opens a line with a label of its own: "Fine motor tasks: coins, pegs"



def find_sections(text: str, patterns: Patterns) -> list[Section]:
    heads = []
    for match in patterns.section_heading.finditer(text):
        label = (match.lastgroup or "none").split("_")[0]
        if label == "plan" and PAIN_SCORE_NEXT.match(text, match.end()):
            continue  # "| P: 3/10 rest 5/10 reach |" in a flowsheet is pain, not the Plan
        start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
        heads.append((label, start, match.end()))
    sections = []
    if not heads or heads[0][1] > 0:
        sections.append(Section("none", 0, 0, heads[0][1] if heads else len(text)))
    for i, (label, start, body_start) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(text)
        if label in INLINE_SECTIONS and _inline(text, label, start, body_start, end, patterns):
            # "S: pt reports ..." ends with its line, "Dx: S52.501D." with its sentence; what follows is not
            # part of it
            stop = SENTENCE_END.search(text, body_start, end) if label in SENTENCE_SECTIONS else None
            line_end = stop.start() + 1 if stop else text.find("\n", body_start, end)
            if line_end != -1:
                sections.append(Section(label, start, body_start, line_end))
                sections.append(Section("none", line_end, line_end, end))
                continue
        sections.append(Section(label, start, body_start, end))
    return sections


def _inline(text: str, label: str, start: int, body_start: int, end: int, patterns: Patterns) -> bool:
    """The heading's line goes on after it. 'Charges: 97110 x 3 units, 97530 x 1 unit.' at the top of a note lists
    its codes on that line only; 'BILLING SUMMARY' or '=== Charges ===' heads the lines below it."""
    first_line, _, rest = text[body_start:end].partition("\n")
    if label == "billing":  # "Billing: 97110 x2" with "97530 x1" on the next line is a list of codes
        return ("\n" not in text[start:body_start] and bool(LETTER_OR_DIGIT.search(first_line))
                and not patterns.cpt_written.match(rest.lstrip(" \t-*•")))
    return bool(first_line.strip())


LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:."):
        end -= 1
    return start, end


def _split_line(text: str, start: int, end: int, patterns: Patterns) -> list[tuple[int, int, bool]]:
    """(start, end, soft) pieces of a line; soft when the piece follows a ';'."""
    pieces, cursor, soft = [], start, False
    if _is_table_row(text[start:end]) or LINE_TOTAL.search(text, start, end):
        # a table row is one entry; so is a line that ends with the total of its items ("... — 18 min total")
        return [(start, end, False)]
    for match in patterns.clause_breaks.finditer(text, start, end):
        if match.group(0).lstrip().startswith("."):
            word = text[max(start, match.start() - 6):match.start()]
            if patterns.abbrev_period.search(word):
                continue
        pieces.append((cursor, match.start(), soft))
        cursor = match.end()
        soft = match.group(0).strip().startswith(";")
    pieces.append((cursor, end, soft))
    labelled = LABEL_WITH_MINUTES.match(text, start, end) if len(pieces) > 1 else None
    if labelled and int(labelled.group(1)) >= sum(int(m.group(1)) for m in SOME_MINUTES.finditer(
            text, labelled.end(), end)) and not _timed_heading_follows(text, pieces[1:], patterns):
        # "Magnifier training 25 min: labels; lamp; pill organizer", "Desensitization (10 min): textures,
        # vibration 2 min; mirror therapy 5 min": one item, the label's time covering its parts
        return [(start, end, False)]
    if len(pieces) > 1 and _closes_with_time(text, pieces):
        return [(start, end, False)]  # "gaze stabilization, ...; habituation drills - 18 min (97112)"
    last_is_total = text[pieces[-1][0]:end].lstrip().lower().startswith("total")
    if len(pieces) > 1 and LABEL_START.match(text, start, end) and _only_last_has_minutes(text, pieces) \
            and not last_is_total and not _timed_heading_follows(text, pieces[-1:], patterns):
        return [(start, end, False)]  # "Self-care/energy conservation: shower simulation; ... - 24 min": one item
    if len(pieces) > 1 and BARE_MINUTES.match(text[pieces[-1][0]:end]) and all(soft for *_, soft in pieces[1:-1]):
        # "... ; pt wrote her weekly schedule. 18 min": the line's items and time. After several sentences the
        # time stays a clause of its own and closes the work they describe (see blocks)
        return [(start, end, False)]
    return pieces


LABEL_START = re.compile(r"[ \t]*(?:" + BULLET_MARKS + r"+[ \t]*)?[A-Za-z][\w /&-]{2,40}:[ \t]")
SOME_MINUTES = re.compile(r"\b(\d{1,3})\s*(?:min\w*|')", re.IGNORECASE)
LABEL_WITH_MINUTES = re.compile(r"[ \t]*(?:" + BULLET_MARKS + r"+[ \t]*)?[A-Za-z][\w /&-]{2,40}?[ (]+(\d{1,3})\s*"
                                r"(?:min\w*|')\)?[ \t]*:", re.IGNORECASE)
CLOSING_BRACKET_TIME = re.compile(r"\(\s*\d{1,3}\s*(?:min\w*|')\s*\)[\s.]*$", re.IGNORECASE)
LIST_ITEM = re.compile(r"[ \t]*(?:" + BULLET_MARKS + r"|\d{1,2}[.)])[ \t]")
CLOSING_TIME = re.compile(r"\s(?:-+|–|—)\s*\d{1,3}\s*(?:min\w*|')\.?\s*(?:\(\s*\w{5}\s*\))?[\s.]*$", re.IGNORECASE)


def _timed_heading_follows(text: str, pieces: list[tuple[int, int, bool]], patterns: Patterns) -> bool:
    """A later sentence opens with a code heading and its own time ("NMR 23 min: ... . ADL training 15 min: ..."):
    the first label's time does not cover it."""
    for piece_start, piece_end, _ in pieces:
        start = _trim(text, piece_start, piece_end)[0]
        heading = patterns.code_heading.match(text[start:piece_end])  # sliced: the pattern is anchored with '^'
        if heading and _heading_has_minutes(text, start + heading.end(), piece_end, patterns):
            return True
    return False


def _closes_with_time(text: str, pieces: list[tuple[int, int, bool]]) -> bool:
    """Items split by ';' whose line ends with one time after a dash, or in brackets on a list item ("1) Self-feeding
    w/ universal cuff; pt fed self yogurt (15 min)"): the time of them all."""
    *first, last = pieces
    closing = CLOSING_TIME.search(text, last[0], last[1]) or (
        LIST_ITEM.match(text, first[0][0]) and CLOSING_BRACKET_TIME.search(text, last[0], last[1]))
    return all(soft for *_, soft in pieces[1:]) and bool(closing) and not any(
        SOME_MINUTES.search(text, s, e) for s, e, _ in first) and len(SOME_MINUTES.findall(text, last[0], last[1])) == 1


def _only_last_has_minutes(text: str, pieces: list[tuple[int, int, bool]]) -> bool:
    *first, last = pieces
    return bool(SOME_MINUTES.search(text, last[0], last[1])) and not any(
        SOME_MINUTES.search(text, s, e) for s, e, _ in first)


BARE_MINUTES = re.compile(r"^[\s(~-]*\d{1,3}\s*(?:min\w*|')[\s).]*$", re.IGNORECASE)
LINE_TOTAL = re.compile(r"\d{1,3}\s*min\w*\.?\s+total\s*\.?\s*$", re.IGNORECASE)
# a cell of only minutes or units, a dash, n/a, or a status ("CP | declined |")
TABLE_CELL = re.compile(r"\s*(?:\d{1,3}\s*(?:min\w*|')?|-+|—|n/?a|declined|refused|held|deferred|not done)\s*",
                        re.IGNORECASE)


def _is_table_row(line: str) -> bool:
    """A row of a table flattened to text: cells split by '|', one of them (not the first) only a number of
    minutes or units, or a dash."""
    if "|" not in line:
        return False  # the cheap test first: most lines are no table row
    cells = line.split("|")
    return len(cells) >= 3 and any(TABLE_CELL.fullmatch(cell) for cell in cells[1:])


def _label_line_heading(text: str, clause: Clause, patterns: Patterns) -> None:
    """'Fine Motor / Neuromuscular Re-education (15 min):' alone on its line heads the lines below it, like a
    code heading, when it names a code."""
    segment = text[clause.start:clause.end]
    for code, pattern in [*patterns.mentions, *patterns.direct_codes]:
        if pattern.search(segment):
            clause.heading_code, clause.heading_end = code, clause.end
            return


def _split_at_inner_headings(text: str, start: int, end: int, patterns: Patterns) -> list[tuple[int, int]]:
    """Flowsheet entries joined by commas or dashes: "TE 8' UBE, TA 16' kitchen task", "Dx ... -- NMR 16'". A table
    row is one entry whatever its cells say ("| Whirlpool | 10 min, 102°F, L hand/wrist | 10 |")."""
    if _is_table_row(text[start:end]):
        return [(start, end)]
    pieces, piece_start = [], start
    label = LEADING_LABEL.match(text, start, end)
    if label and (heading := patterns.code_heading.match(text[label.end():end])) and _heading_has_minutes(
            text, label.end() + heading.end(), end, patterns):
        piece_start = label.end()  # "COTA tx: TE 25 min - ...": the entry starts at its heading
    for separator in INNER_SEPARATORS.finditer(text, start, end):
        after = separator.end()
        match = (patterns.code_heading.match(text[after:end]) or TIMED_HOME_PROGRAM.match(text[after:end])
                 or patterns.cpt_written.match(text[after:end]))
        if (match and _heading_has_minutes(text, after + match.end(), end, patterns)
                and not (CLOSING_HEADING_TIME.fullmatch(text, after + match.end(), end)
                         and not SOME_MINUTES.search(text, start, separator.start()))) or (
                separator.group(0).strip() == "/" and SLASHED_TOTAL.match(text, after, end)):
            pieces.append((piece_start, separator.start()))
            piece_start = after
    return [*pieces, (piece_start, end)]


# "Leg press 90# 3x12, step-downs 6" 3x10 — ther ex 25 min": a heading and its time closing a line of untimed items
# name them, not a next entry ("MT 10 min (GH glides), ice 10 min" is two entries)
CLOSING_HEADING_TIME = re.compile(r"[ \t]*\d{1,3}[ \t]*(?:min\w*|')[ \t.]*", re.IGNORECASE)
LEADING_LABEL = re.compile(r"[ \t]*[A-Za-z][\w /&.-]{0,20}:[ \t]+")
# "TherEx 30 min (...), HEP instruction 10 min - new sheet": a home program timed as its own entry
TIMED_HOME_PROGRAM = re.compile(r"\s*(?:hep|home (?:exercise )?program)(?:\s+(?:instruction|review|education|training|"
                                r"update|progression|issued|reviewed|instructed))?\b", re.IGNORECASE)


def _todays_timed_work(text: str, start: int, end: int, heading: re.Match[str] | None, patterns: Patterns) -> bool:
    """A line that opens with a code heading, an evaluation, a CPT code or a named service and gives its time
    ("Ther ex 15 min:", "OT eval, moderate complexity (97166): 50 min", "- Hot pack to C/T spine x 15 min"):
    work done today, wherever it stands."""
    if heading is not None:
        return _heading_has_minutes(text, start + heading.end(), end, patterns)
    line = text[start:end]  # sliced: the evaluation trigger is anchored with '^'
    if not patterns.minutes["numeric"].search(line):  # the cheap test first: most lines give no time
        return False
    item = line.lstrip(" \t-*•")
    return bool(patterns.evaluation["trigger"].match(line) or patterns.cpt_written.match(item)
                or patterns.any_named_code.match(item))


WRITTEN_CODE_AFTER_HEADING = re.compile(r"[ \t]*\(?(?:97|92|G0)\d{3}\)?(?=[ \t])")


def _heading_has_minutes(text: str, heading_end: int, end: int, patterns: Patterns) -> bool:
    """The heading's own time follows it: "TE 8'", "Ther ex 15 min", or its units alone ("TE x2u")."""
    rules = patterns.minutes
    code = WRITTEN_CODE_AFTER_HEADING.match(text, heading_end, end)
    if code and patterns.heading_units.match(text, code.end(), end):
        return True  # "gait 97116 x 1 unit": the code and its units in place of the heading's minutes
    window = text[heading_end:min(end, heading_end + 12)]
    return bool(rules["apostrophe"].match(window.lstrip()) or rules["numeric"].match(window.lstrip(" x("))
                or patterns.heading_units.match(window) or SLASHED_BARE_TIME.match(text, heading_end, end))


# "TE 12 (tendon glides) / MT 10 (scar mass) / ...": entries split by slashes, each a heading, its bare time and what
# was done in brackets
SLASHED_TOTAL = re.compile(r"(?:total|tot)\.?[ \t:]*\d{1,3}\b", re.IGNORECASE)  # "... / tot 30 / pain 1/10"
SLASHED_BARE_TIME = re.compile(r"[ \t]+\d{1,3}[ \t]+\([^()\n]*\)[ \t]+/[ \t]")


def find_clauses(text: str, patterns: Patterns, sections: list[Section]) -> list[Clause]:
    clauses: list[Clause] = []
    line_number = 0
    for section in sections:
        body_start = section.body_start
        blank = True
        label = section.label
        for raw_line in text[body_start:section.end].split("\n"):
            line_start, line_end = body_start, body_start + len(raw_line)
            body_start = line_end + 1
            line_number += 1
            if not raw_line.strip():
                blank = True
                continue
            stripped = raw_line.lstrip()
            bullet = stripped.startswith(BULLETS) or (stripped[:3].rstrip(".) ").isdigit() and stripped[1:3].strip()
                                                      [:1] in (".", ")"))
            first = True
            pieces = _split_line(text, line_start, line_end, patterns)
            for index, (piece_start, piece_end, soft) in enumerate(pieces):
                for s, e in _split_at_inner_headings(text, piece_start, piece_end, patterns):
                    s, e = _trim(text, s, e)
                    if e <= s:
                        continue
                    closing = index > 1 and not soft and BARE_MINUTES.match(text[s:e])
                    # "Follow-up in 1 week. Total 42 minutes": a sentence of its own is the note's total
                    own_total = index > 0 and not soft and text[s:e].lower().startswith("total")
                    if not first and not closing and not own_total and MINUTES_ONLY.match(text[s:e]):
                        clauses[-1].end = e  # "... doorway stretch 3 x 30 sec -- 16 min": the block's time
                        continue
                    heading = patterns.code_heading.match(text[s:e])
                    if label not in WORK_SECTIONS and (heading or label != "billing") and _todays_timed_work(
                            text, s, e if heading or not first else line_end, heading, patterns):
                        label = "none"  # "Ther ex 15 min:" after a plan or a list of measures is today's work
                    clause = Clause(s, e, label, line_number, first, bullet, blank and first, soft_break=soft,
                                    labelled=first and bool(LABEL_START.match(text, s, e)))
                    if heading:
                        clause.heading_code = patterns.heading_code(heading)
                        clause.heading_end = s + heading.end()
                    elif raw_line.rstrip().endswith(":") and e >= line_start + len(raw_line.rstrip()) - 1:
                        _label_line_heading(text, clause, patterns)  # the line's last piece ends in ':'

                    clauses.append(clause)
                    first = False
            blank = False
    return clauses


HEADING_AFTER_REACH = 40


def split_narrative(text: str, clause: Clause, minutes: SortedSpans[Minutes], patterns: Patterns) -> list[Clause]:
    """A narrative clause naming several timed activities ("10 minutes of UBE, then 15 min of balance
    work") becomes one clause per activity, cut at the connective between each pair of minute spans."""
    spans = minutes.starting_in(clause.start, clause.end)
    inside = _outside_brackets(text, clause.start, spans)
    if len(inside) >= 2 and _is_table_row(text[clause.start:clause.end]):
        return [clause]  # "| Whirlpool | 10 min, 102°F, L hand/wrist | 10 |": one row
    if len(inside) < 2:
        return [clause]
    then = patterns.narrative_strong.search(text, inside[0].end, inside[1].start)
    # "manual therapy x 15 min including ..., then ther ex x 12 min of ...", "18 minutes of therapeutic exercise
    # including ..., followed by 15 minutes of therapeutic activities": the next service, not an included item
    next_service = then is not None and (
        patterns.code_heading.match(text[then.end():inside[1].end]) is not None
        or patterns.any_named_code.match(text[inside[1].end:inside[1].end + HEADING_AFTER_REACH].removeprefix(" of "))
        is not None)
    if not next_service and total_of_parts(text, clause.start, clause.end, inside, False):
        return [clause]
    if clause.heading_code and not then:
        return [clause]  # "Ther ex: bike 8 min, wall slides 12 min" is one block; "gait training x 10 minutes ...,
        # then 20 min of balance work" is two
    if any(m not in inside and m.value == sum(i.value for i in inside) and BRACKETED_TOTAL.match(text, m.end)
           for m in spans):
        return [clause]  # "UBE 8 minutes, then ... a further 12 minutes (ther ex 20 min total)": one block
    if TOTAL_INCLUDING.match(text, inside[-1].end):
        return [clause]  # "UBE 6 min, then ... - ther ex 20 min total (incl UBE)": one block
    cuts = []
    lead = _lead_in(text, clause.start, inside[0].start, patterns)
    if lead is not None:
        cuts.append(lead)
    for left, right in zip(inside, inside[1:], strict=False):
        strong = [m for m in patterns.narrative_strong.finditer(text, left.end, right.start)
                  # not inside brackets: "(trunk clearing then arm)"
                  if text.count("(", left.end, m.start()) <= text.count(")", left.end, m.start())]
        named = _next_named_work(text, cuts[-1][1] if cuts else clause.start, left, right.start, patterns)
        weak = list(patterns.narrative_breaks.finditer(text, left.end, right.start))
        if strong:
            cuts.append((strong[0].start(), strong[0].end()))
        elif named is not None:
            cuts.append((named, named))  # dictated: "... eight minutes gait training ... ten minutes"
        elif weak:
            cuts.append((weak[-1].start(), weak[-1].end()))
    if not cuts:
        return [clause]
    pieces, cursor = [], clause.start
    for cut_start, cut_end in cuts:
        pieces.append((cursor, cut_start))
        cursor = cut_end
    pieces.append((cursor, clause.end))
    pieces = _absorb_bare_minutes(text, pieces)
    result = []
    for i, (s, e) in enumerate(pieces):
        s, e = _trim(text, s, e)
        if e > s:
            result.append(Clause(s, e, clause.section, clause.line, clause.first_in_line and i == 0, clause.bullet,
                                 clause.blank_before and i == 0))
    return result


def split_at_totals(text: str, clause: Clause, minutes: SortedSpans[Minutes],
                    totals: SortedSpans[TotalTime]) -> list[Clause]:
    """A dictated run-on goes on past its work: '... gait training for eight minutes ... total treatment time
    forty three minutes plan continue per plan of care next visit'. A total after the clause's timed work ends
    that work; the total is a clause of its own, and so is what follows it (its plan sets no status above)."""
    inside = minutes.starting_in(clause.start, clause.end)
    after_work = [t for t in totals.starting_in(clause.start, clause.end) if inside and t.start >= inside[-1].end]
    if clause.heading_code or not after_work:
        return [clause]
    cuts = [clause.start, after_work[0].start, after_work[0].end, clause.end]
    pieces: list[Clause] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        start, end = _trim(text, start, end)
        if end > start:
            pieces.append(replace(clause, start=start, end=end, first_in_line=clause.first_in_line and not pieces,
                                  blank_before=clause.blank_before and not pieces))
    return pieces


LEADS_INTO = re.compile(r"\s*(?:on|of|doing|working on)\b", re.IGNORECASE)


def _next_named_work(text: str, piece_start: int, left: Minutes, end: int, patterns: Patterns) -> int | None:
    """When the time closes the work written before it ('patellar mobs ... eight minutes gait training ...'),
    the next code named before the next time starts the next piece. Not when the time leads into its work
    ('15 minutes on scar massage', '30 min ther ex (...)')."""
    before = text[piece_start:left.start].strip()
    if not before.strip(",;(") or before.endswith((":", "-", "(", "—", "–")) or LEADS_INTO.match(text, left.end):
        return None
    match = patterns.any_named_code.search(text, left.end, end)
    return match.start() if match else None


LEAD_IN_WORDS = 8  # a run-on opening this long before the first timed work is context, not the work


def _lead_in(text: str, start: int, first_minutes: int, patterns: Patterns) -> tuple[int, int] | None:
    """Where the work begins in a run-on (dictated) clause: after 'we started with', or at the code named just
    before the first minutes ('... history of falls resident seen in gym wheelchair mobility training fifteen
    minutes'). The opening before it (history, complaints) keeps its own status."""
    leads = list(patterns.narrative_lead.finditer(text, start, first_minutes))
    if leads:
        cut = (leads[-1].start(), leads[-1].end())
    else:
        window = max(start, first_minutes - 60)
        named = [m for m in patterns.any_named_code.finditer(text, window, first_minutes)
                 if len(text[m.end():first_minutes].split()) <= 1]
        if not named:
            return None
        cut = (named[0].start(), named[0].start())
    return cut if len(text[start:cut[0]].split()) >= LEAD_IN_WORDS else None


# the block's time alone after its items: right after an item's own time ("x 3 min, 11 min"), after a colon
# ("2x10: 15 min") or after dot leaders ("3 min .... 18 min")
STANDS_ALONE = re.compile(r"^\s*,\s*$|(?::|\.{2,}|…)\s*$")


# "scar massage for 8 minutes followed by tendon glides for 14 minutes": the later time is the next work's
NEXT_WORK = re.compile(r"\b(?:then|followed by|after which|next)\b", re.IGNORECASE)
TOTAL_INCLUDING = re.compile(r"\s*total\s*\(?\s*incl(?:uding|udes|\.)?\b", re.IGNORECASE)
APPROXIMATELY = re.compile(r"\s*(?:approx(?:imately|\.)?|about|around|~|ca\.?)\s*$", re.IGNORECASE)
BRACKETED_TOTAL = re.compile(r"\s*total\s*\)", re.IGNORECASE)


TOTAL_JUST_BEFORE = re.compile(r"\btotal\s*(?:of\s*)?[:=]?\s*\Z", re.IGNORECASE)
INCLUDING_AFTER = re.compile(r"\s*incl(?:uding|udes|\.)?\b", re.IGNORECASE)
INCLUDES = re.compile(r"\b(?:including|incl\.?|consist(?:ed|ing) of|which included)\s", re.IGNORECASE)


def total_of_parts(text: str, start: int, end: int, spans: list[Minutes], brackets: bool = True,
                   named: TextPattern | None = None) -> Minutes | None:
    """The minutes that total a block whose items carry their own minutes: written first, before the
    items ("26 minutes of ther ex: bike 6 min, ...") or last, after them ("pulleys 3 min, ... -- 16 min"),
    and at least the sum of the others."""
    if len(spans) < 2:
        return None
    first, last = spans[0], spans[-1]
    rest_of_first = sum(m.value for m in spans[1:])
    rest_of_last = sum(m.value for m in spans[:-1])
    lead = text[start:first.start].strip(" (x~-").lower()
    between = text[first.end:spans[1].start]
    items_follow = ":" in between or (brackets and "(" in between) or bool(INCLUDES.search(between))
    # dictated, unpunctuated: "therapeutic exercise fifteen minutes recumbent bike ten minutes ..."
    items_follow = items_follow or bool(named and lead and named.fullmatch(lead)
                                        and not any(c in between for c in ",;"))
    # a long lead still heads its items when the colon follows its time ("We then worked on her exercise
    # program for 18 minutes: pulleys 3 minutes each, ...")
    if first.value >= rest_of_first and items_follow and (len(lead.split()) <= LEAD_WORDS
                                                          or between.lstrip().startswith(":")):
        return first
    if first.kind == "clock" and not lead and first.value >= rest_of_first:
        return first  # "07:30-07:45  UBE 8 min + ...": a log line's clock range is its time
    if last.value >= rest_of_last and TOTAL_INCLUDING.match(text, last.end):
        return last  # "UBE 6 min, then ... - ther ex 20 min total (incl UBE)"
    if last.value >= rest_of_last and TOTAL_JUST_BEFORE.search(text, spans[-2].end, last.start) and \
            INCLUDING_AFTER.match(text, last.end):
        return last  # "10 minutes on NuStep ..., mini squats 2x10 (ther ex total 18 minutes including NuStep)"
    if last.value >= rest_of_last and text[last.end:end].strip(" ).;,").lower() in ("", "total"):
        between = text[spans[-2].end:last.start]
        closing: tuple[str, ...] = ("total of", "total", "—", "–", "--", "=", " -")
        # "... for 14 minutes" closes the items, unless other work came first ("8 min followed by X for 14 min")
        closing += () if NEXT_WORK.search(between) else ("for",)
        before_time = APPROXIMATELY.sub("", between).rstrip().lower()  # "... trial - approx 15 min"
        if between.strip(" ,;)").startswith(("--", "-", "(", "=", "total")) or "(" in text[last.start - 2:last.start] \
                or " -- " in between or STANDS_ALONE.search(between) or before_time.endswith(closing):
            return last  # "..., putty 3 min, 11 min" or "... 3 min .... 18 min": the time alone after the items
    return None


def _absorb_bare_minutes(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """'seated rest at 7 min and 14 min': a piece that is only minutes stays with the piece before it."""
    kept: list[tuple[int, int]] = []
    for start, end in pieces:
        if kept and MINUTES_ONLY.match(text[start:end]):
            kept[-1] = (kept[-1][0], end)
        else:
            kept.append((start, end))
    return kept


def _outside_brackets(text: str, start: int, spans: list[Minutes]) -> list[Minutes]:
    """The spans not inside parentheses opened after `start` ("30 min ther ex (bike 12 min, ...)")."""
    kept, depth, cursor = [], 0, start
    for span in spans:
        chunk = text[cursor:span.start]
        depth = max(0, depth + chunk.count("(") - chunk.count(")"))
        cursor = span.start
        if depth == 0:
            kept.append(span)
    return kept


PLAN_ITEM_BREAK = re.compile(r",\s+|\s+\+\s+|\s+&\s+|;\s+")


def split_plan_items(text: str, clause: Clause, patterns: Patterns | None = None) -> list[Clause]:
    """'Next: progress to SPC full time, add step-ups 4"' plans two things; each is its own planned item.
    A one-word piece keeps the clause whole, unless it is the plan's frequency ('2x/wk, add step-ups')."""
    if clause.section != "plan":
        return [clause]
    bounds, cursor = [], clause.start
    for match in PLAN_ITEM_BREAK.finditer(text, clause.start, clause.end):
        if text.count("(", cursor, match.start()) > text.count(")", cursor, match.start()):
            continue  # "Total time 45 min (eval 35, ther ex 10)": a break inside brackets is the bracket's own
        bounds.append((cursor, match.start()))
        cursor = match.end()
    bounds.append((cursor, clause.end))
    if len(bounds) < 2 or any(len(text[s:e].split()) < 2 and not (patterns and patterns.frequency.fullmatch(text, s, e))
                              for s, e in bounds):
        return [clause]
    return [Clause(s, e, clause.section, clause.line, clause.first_in_line and i == 0, clause.bullet,
                   clause.blank_before and i == 0, soft_break=i > 0 or clause.soft_break)
            for i, (s, e) in enumerate(bounds)]
