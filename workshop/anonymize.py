"""Anonymizing a session for export: real names become "Participant N" and "Facilitator"."""

from __future__ import annotations

import re
from dataclasses import replace

from workshop.model import Session

FACILITATOR = "Facilitator"
"""What `--anonymize` calls the facilitator."""

NAME_REMOVED = "(name removed)"
"""What `--anonymize` writes for a name part shared by several people."""


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _number(alias: str) -> int:
    return int(alias.rsplit(" ", 1)[-1]) if alias[-1:].isdigit() else 0


class _Pseudonyms:
    """Real names to "Participant N", and the facilitator's to "Facilitator"."""

    def __init__(self, facilitator: str) -> None:
        self.alias: dict[str, str] = {}
        """Normalised full name (see `_name_key`) to pseudonym."""
        self.spellings: list[str] = []
        """Every name as it was written."""
        self.parts: dict[str, str] = {}
        self.count = 0
        if _name_key(facilitator):
            self.alias[_name_key(facilitator)] = FACILITATOR
            self.spellings.append(facilitator)

    def known(self, name: str) -> bool:
        """Whether `name` already has a pseudonym."""
        return _name_key(name) in self.alias

    def add(self, name: str) -> str:
        """The pseudonym of `name`, giving the next number to a new name."""
        key = _name_key(name)
        if key not in self.alias:
            self.count += 1
            self.alias[key] = f"Participant {self.count}"
        self.spellings.append(name)
        return self.alias[key]

    def pattern(self) -> re.Pattern[str] | None:
        """One pattern for every full name (in any case) and name part (as written).

        A part shared by two people maps to NAME_REMOVED rather than to either one.
        """
        self.parts = {}
        for name in self.spellings:
            alias = self.alias[_name_key(name)]
            for part in re.split(r"[\s\-]+", name.strip()):
                if len(part) < 2 or not any(c.isalpha() for c in part):
                    continue
                if _name_key(part) in self.alias:
                    continue  # someone's full name: the full-name match decides
                previous = self.parts.get(part)
                self.parts[part] = alias if previous in (None, alias) else NAME_REMOVED
        fulls = sorted(
            {" ".join(n.split()) for n in self.spellings} | set(self.alias), key=len, reverse=True
        )
        fulls = [f for f in fulls if f]
        if not fulls:
            return None
        full = "|".join(r"\s+".join(map(re.escape, f.split())) for f in fulls)
        choices = [f"(?i:{full})"]
        if self.parts:
            choices.append("|".join(map(re.escape, sorted(self.parts, key=len, reverse=True))))
        return re.compile(r"(?<!\w)(?:" + "|".join(choices) + r")(?!\w)")

    def replace(self, match: re.Match[str]) -> str:
        """The pseudonym for a match of `pattern()`."""
        found = match.group(0)
        return self.alias.get(_name_key(found)) or self.parts.get(found, NAME_REMOVED)


def anonymized(session: Session) -> Session:
    """A copy of `session` without the names of the facilitator, participants, speakers
    and owners.

    Each person becomes "Participant N", numbered by first appearance (speakers of
    statements, then of turns, then participants, then owners), and the facilitator
    becomes "Facilitator". An owner that mentions nobody known is taken as a person too.
    The names are also replaced inside the title, organisation, statements, agreements,
    rating notes, turns and marks (e.g. reframes): full names in any case, single name
    parts as written. Side, tag and
    step labels come from the scenario and are kept.
    """
    names = _Pseudonyms(session.facilitator)
    for speaker in [st.speaker for st in session.statements] + [t.speaker for t in session.turns]:
        if speaker and _name_key(speaker):
            names.add(speaker)
    for person in session.participants:
        if _name_key(person):
            names.add(person)
    pattern = names.pattern()
    for ag in session.agreements:
        owner = ag.owner
        if owner and _name_key(owner) and not names.known(owner):
            if pattern is None or not pattern.search(owner):
                names.add(owner)
    pattern = names.pattern()

    def scrub(text: str) -> str:
        return pattern.sub(names.replace, text) if pattern is not None and text else text

    def alias(name: str | None) -> str | None:
        if not name:
            return name
        return names.alias.get(_name_key(name)) or scrub(name)

    participants = sorted(
        {names.alias[_name_key(p)] for p in session.participants if _name_key(p)},
        key=lambda a: (a != FACILITATOR, _number(a)),
    )
    return replace(
        session,
        title=scrub(session.title),
        facilitator=FACILITATOR if _name_key(session.facilitator) else "",
        organisation=scrub(session.organisation),
        participants=participants,
        statements=[
            replace(st, speaker=alias(st.speaker), text=scrub(st.text)) for st in session.statements
        ],
        agreements=[
            replace(ag, owner=alias(ag.owner), text=scrub(ag.text)) for ag in session.agreements
        ],
        ratings=[replace(r, note=scrub(r.note)) for r in session.ratings],
        turns=[
            replace(t, speaker=alias(t.speaker), said=scrub(t.said), thought=scrub(t.thought))
            for t in session.turns
        ],
        marks=[replace(m, value=scrub(m.value)) for m in session.marks],
    )
