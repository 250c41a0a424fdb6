"""Validating a site catalog (the YAML of DESIGN.md §2) into plain entries. Pure: text in,
entries or located problems out.

The catalog is edited by hand, by people who are not programmers, so every problem is reported
with its file, line and field path (``sites.yaml:42: sites[3].targets[0].kind: …``), and all of
them at once. Lines come from the YAML node tree (:func:`yaml.compose`), which keeps the
position of every value; plain ``yaml.safe_load`` throws that away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from db.catalog_values import contact_value_problem
from db.errors import CatalogError, CatalogProblem
from db.models import BROWSER_MODES, CONTACT_KINDS, TARGET_KINDS
from foundation.addresses import host_problem, url_problem
from foundation.text import has_controls

STEP_VERBS = ("click", "fill", "select", "wait_for", "scroll")
# fill and select take [selector, text]; the others one string (the shape the browser runs).
_PAIR_VERBS = frozenset({"fill", "select"})

# "notes" and "note" are the same free-text remark (both spellings turn up in hand-edited files).
_SITE_KEYS = ("name", "domain", "company", "category", "contacts", "targets", "discover",
              "notes", "note")
_CONTACT_KEYS = ("kind", "value", "source", "verified", "unverified", "notes", "note")
_TARGET_KEYS = ("url", "kind", "browser", "steps", "notes", "note")



@dataclass(frozen=True, slots=True)
class ContactEntry:
    kind: str
    value: str
    source: str | None = None
    verified: date | None = None
    unverified: bool = False
    note: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class TargetEntry:
    url: str
    kind: str
    browser: str = "auto"
    # Each step one action: {"click": "text=Sign up"} or {"fill": ["#email", "a@b.example"]}.
    steps: tuple[dict[str, Any], ...] = ()
    note: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class SiteEntry:
    name: str
    domain: str
    company: str | None = None
    category: str | None = None
    contacts: tuple[ContactEntry, ...] = ()
    targets: tuple[TargetEntry, ...] = ()
    note: str | None = None
    line: int | None = None
    # ``discover: true`` (from the home page) or ``discover: URL`` (from that page): look for
    # the site's form pages (``xktracker crawl --discover``).
    discover: bool = False
    discover_url: str | None = None


@dataclass(frozen=True, slots=True)
class Catalog:
    """A validated catalog; ``name`` identifies it in the database (see ``Site.catalog``)."""

    name: str
    sites: tuple[SiteEntry, ...]

    @property
    def targets(self) -> int:
        return sum(len(s.targets) for s in self.sites)


class _Reader:
    """Walks the node tree, collecting problems instead of stopping at the first."""

    def __init__(self, filename: str, allow_private: bool,
                 placeholders: Mapping[str, str]) -> None:
        self.filename = filename
        self.allow_private = allow_private
        self.placeholders = placeholders
        self.problems: list[CatalogProblem] = []
        self._constructor = SafeConstructor()

    def problem(self, node: Node | None, path: str, message: str) -> None:
        self.problem_at(node.start_mark.line + 1 if node is not None else None, path, message)

    def problem_at(self, line: int | None, path: str, message: str) -> None:
        self.problems.append(CatalogProblem(self.filename, line, path, message))

    def scalar(self, node: Node) -> Any:
        return self._constructor.construct_object(node, deep=True)

    def mapping(self, node: Node, path: str, known: tuple[str, ...],
                required: tuple[str, ...]) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.problem(node, path, f"expected a mapping with {', '.join(required)}")
            return None
        out: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.problem(key_node, path, f"keys must be words, not {key!r}")
            elif key in out:
                self.problem(key_node, f"{path}.{key}", "given twice")
            elif key not in known:
                self.problem(key_node, f"{path}.{key}",
                             f"unknown key (known: {', '.join(known)})")
            else:
                out[key] = value_node
        for key in required:
            if key not in out:
                self.problem(node, f"{path}.{key}", "required")
        return out

    def sequence(self, node: Node, path: str) -> list[Node]:
        if isinstance(node, ScalarNode) and self.scalar(node) is None:
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, path, "expected a list")
            return []
        return list(node.value)

    def text(self, fields: dict[str, Node], key: str, path: str, *,
             expand: bool = False, multiline: bool = False) -> str | None:
        node = fields.get(key)
        if node is None:
            return None
        value = self.scalar(node) if isinstance(node, ScalarNode) else None
        if value is None and isinstance(node, ScalarNode):
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(node, f"{path}.{key}", f"expected text, got {_show(node, value)}")
            return None
        value = value.strip()
        if not multiline and has_controls(value):
            # A name or a contact is one line: a break or a control character would split a
            # letter's header, a CSV row or a log line.
            self.problem(node, f"{path}.{key}", "holds a line break or a control character")
            return None
        if expand:
            for placeholder, replacement in self.placeholders.items():
                value = value.replace(placeholder, replacement)
        return value

    def notes(self, fields: dict[str, Node], path: str) -> str | None:
        if "note" in fields and "notes" in fields:
            self.problem(fields["note"], f"{path}.note", "give either note or notes, not both")
        return (self.text(fields, "notes", path, multiline=True)
                or self.text(fields, "note", path, multiline=True))

    def choice(self, fields: dict[str, Node], key: str, path: str,
               allowed: tuple[str, ...]) -> str | None:
        value = self.text(fields, key, path)
        if value is not None and value not in allowed:
            self.problem(fields[key], f"{path}.{key}",
                         f"{value!r} is not one of {', '.join(allowed)}")
            return None
        return value

    def url(self, fields: dict[str, Node], key: str, path: str) -> str | None:
        value = self.text(fields, key, path, expand=True)
        if value is not None:
            problem = url_problem(value, self.allow_private)
            if problem:
                self.problem(fields[key], f"{path}.{key}", problem)
                return None
        return value

    def site(self, node: Node, path: str) -> SiteEntry | None:
        fields = self.mapping(node, path, _SITE_KEYS, ("name", "domain"))
        if fields is None:
            return None
        before = len(self.problems)
        name = self.text(fields, "name", path)
        domain = self.text(fields, "domain", path)
        if domain is not None:
            domain = domain.lower().rstrip(".")
            if "/" in domain or ":" in domain:
                self.problem(fields["domain"], f"{path}.domain",
                             f"{domain!r}: give the bare domain, e.g. example.com")
            else:
                problem = host_problem(domain, self.allow_private)
                if problem:
                    self.problem(fields["domain"], f"{path}.domain", problem)
        company = self.text(fields, "company", path)
        category = self.text(fields, "category", path)
        discover, discover_url = self.discover(fields, path)
        note = self.notes(fields, path)
        contacts = [self.contact(n, f"{path}.contacts[{i}]") for i, n in
                    enumerate(self.sequence(fields["contacts"], f"{path}.contacts")
                              if "contacts" in fields else [])]
        targets = [self.target(n, f"{path}.targets[{i}]") for i, n in
                   enumerate(self.sequence(fields["targets"], f"{path}.targets")
                             if "targets" in fields else [])]
        if len(self.problems) > before or name is None or domain is None:
            return None
        return SiteEntry(name=name, domain=domain, company=company, category=category,
                         contacts=tuple(c for c in contacts if c is not None),
                         targets=tuple(t for t in targets if t is not None), note=note,
                         line=node.start_mark.line + 1, discover=discover,
                         discover_url=discover_url)

    def discover(self, fields: dict[str, Node], path: str) -> tuple[bool, str | None]:
        """``discover: true | false | URL`` (a URL: where discovery starts)."""
        node = fields.get("discover")
        if node is None:
            return False, None
        value = self.scalar(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool):
            return value, None
        if isinstance(value, str) and value.strip():
            url = self.url(fields, "discover", path)
            return url is not None, url
        self.problem(node, f"{path}.discover",
                     f"expected true, false or a start URL, got {_show(node, value)}")
        return False, None

    def contact(self, node: Node, path: str) -> ContactEntry | None:
        fields = self.mapping(node, path, _CONTACT_KEYS, ("kind", "value"))
        if fields is None:
            return None
        before = len(self.problems)
        kind = self.choice(fields, "kind", path, CONTACT_KINDS)
        value = self.text(fields, "value", path, expand=True)
        if kind is not None and value is not None:
            problem = contact_value_problem(kind, value, self.allow_private)
            if problem:
                self.problem(fields["value"], f"{path}.value", problem)
        source = self.url(fields, "source", path)
        verified, unverified = self._verification(fields, path)
        note = self.notes(fields, path)
        if len(self.problems) > before or kind is None or value is None:
            return None
        return ContactEntry(kind=kind, value=value, source=source, verified=verified,
                            unverified=unverified, note=note, line=node.start_mark.line + 1)

    def _verification(self, fields: dict[str, Node], path: str) -> tuple[date | None, bool]:
        verified: date | None = None
        unverified = False
        node = fields.get("verified")
        if node is not None:
            value = self.scalar(node) if isinstance(node, ScalarNode) else node
            if isinstance(value, str):
                try:
                    value = date.fromisoformat(value.strip())
                except ValueError:
                    pass
            if value is False or value is None:
                unverified = value is False
            elif isinstance(value, date):
                verified = value
            else:
                self.problem(node, f"{path}.verified",
                             f"expected a date (2026-11-01) or false, got {_show(node, value)}")
        node = fields.get("unverified")
        if node is not None:
            value = self.scalar(node) if isinstance(node, ScalarNode) else node
            if not isinstance(value, bool):
                self.problem(node, f"{path}.unverified",
                             f"expected true or false, got {_show(node, value)}")
            else:
                if value and verified is not None:
                    self.problem(node, f"{path}.unverified",
                                 "marked unverified but also given a verified date")
                unverified = unverified or value
        return verified, unverified

    def target(self, node: Node, path: str) -> TargetEntry | None:
        fields = self.mapping(node, path, _TARGET_KEYS, ("url", "kind"))
        if fields is None:
            return None
        before = len(self.problems)
        url = self.url(fields, "url", path)
        kind = self.choice(fields, "kind", path, TARGET_KINDS)
        browser = self.choice(fields, "browser", path, BROWSER_MODES) or "auto"
        steps = [self.step(n, f"{path}.steps[{i}]") for i, n in
                 enumerate(self.sequence(fields["steps"], f"{path}.steps")
                           if "steps" in fields else [])]
        note = self.notes(fields, path)
        if len(self.problems) > before or url is None or kind is None:
            return None
        return TargetEntry(url=url, kind=kind, browser=browser,
                           steps=tuple(s for s in steps if s is not None), note=note,
                           line=node.start_mark.line + 1)

    def step(self, node: Node, path: str) -> dict[str, Any] | None:
        if not isinstance(node, MappingNode) or len(node.value) != 1:
            self.problem(node, path, "a step is one action: "
                         f"{{click: SELECTOR}} … (actions: {', '.join(STEP_VERBS)})")
            return None
        ((key_node, arg_node),) = node.value
        verb = self.scalar(key_node) if isinstance(key_node, ScalarNode) else None
        if verb not in STEP_VERBS:
            self.problem(key_node, path, f"{verb!r} is not one of {', '.join(STEP_VERBS)}")
            return None
        where = f"{path}.{verb}"
        if verb in _PAIR_VERBS:
            items = arg_node.value if isinstance(arg_node, SequenceNode) else None
            values = [self.scalar(n) if isinstance(n, ScalarNode) else None
                      for n in items or []]
            if len(values) != 2 or not all(isinstance(v, str) and v for v in values):
                self.problem(arg_node, where, "expected [SELECTOR, TEXT], two strings")
                return None
            return {verb: [str(v) for v in values]}
        value = self.scalar(arg_node) if isinstance(arg_node, ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            self.problem(arg_node, where, f"expected a selector string, got "
                         f"{_show(arg_node, value)}")
            return None
        return {verb: value.strip()}


def _show(node: Node, value: Any) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return repr(value)


def parse_catalog(text: str, *, filename: str = "<catalog>", name: str | None = None,
                  allow_private: bool = False,
                  placeholders: Mapping[str, str] | None = None) -> Catalog:
    """Validate catalog YAML; raise :class:`CatalogError` listing every problem.

    ``allow_private`` admits loopback and private hosts (the demo catalog);
    ``placeholders`` are replaced in URLs and contact values before they are checked.
    """
    reader = _Reader(filename, allow_private, placeholders or {})
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise CatalogError([CatalogProblem(filename, line, "",
                                           f"not valid YAML: {exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([CatalogProblem(filename, None, "", f"not valid YAML: {exc}")]) \
            from None
    if root is None:
        raise CatalogError([CatalogProblem(filename, 1, "", "empty file; expected 'sites:'")])
    fields = reader.mapping(root, "catalog", ("sites",), ("sites",))
    sites: list[SiteEntry] = []
    if fields is not None and "sites" in fields:
        seen_domains: dict[str, int] = {}
        seen_urls: dict[str, int] = {}
        for index, node in enumerate(reader.sequence(fields["sites"], "sites")):
            path = f"sites[{index}]"
            entry = reader.site(node, path)
            if entry is None:
                continue
            if entry.domain in seen_domains:
                reader.problem_at(entry.line, f"{path}.domain", f"{entry.domain} is already "
                                  f"listed (line {seen_domains[entry.domain]})")
                continue
            seen_domains[entry.domain] = entry.line or 0
            for number, target in enumerate(entry.targets):
                if target.url in seen_urls:
                    reader.problem_at(target.line, f"{path}.targets[{number}].url",
                                      f"{target.url} is already listed "
                                      f"(line {seen_urls[target.url]})")
                else:
                    seen_urls[target.url] = target.line or 0
            sites.append(entry)
        if not sites and not reader.problems:
            reader.problem(fields["sites"], "sites", "no sites listed")
    if reader.problems:
        raise CatalogError(reader.problems)
    return Catalog(name=name or filename, sites=tuple(sites))
