"""Synthetic playbooks of any size for benchmarks: valid, cross-referenced and byte-identical for one seed.

Every choice comes from one ``random.Random(seed)`` drawing from :mod:`playbook.synth_words`, and the worked
examples get their expected tier from the real classifier, so a synthetic playbook passes ``playbook check``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from playbook.assess.classify import classify, parse_answers
from playbook.authoring import synth_words as words
from playbook.data.model.items import ControlKind, Pattern, RiskTiers
from playbook.data.problems import PlaybookError

_SLUG = re.compile(r"[^a-z0-9]+")
_FIELD = re.compile(r"\{(\w+)\}")


def slugify(text: str, limit: int = 60) -> str:
    """``Log every prompt`` -> ``log-every-prompt``, cut at a hyphen to leave room for a ``-2`` suffix."""
    slug = _SLUG.sub("-", text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def _cap(text: str) -> str:
    """Upper-case the first letter only, so ``HR policies`` stays as it is."""
    return text[:1].upper() + text[1:]


try:
    # libyaml's emitter is about eight times faster; for the shapes written here its output is
    # byte-for-byte that of the pure-Python emitter (checked on a 1,000/2,000 playbook).
    _BaseDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseDumper = yaml.SafeDumper


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Writes multi-line text as ``|`` blocks so Markdown stays readable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Synth:
    """One synthetic playbook in the making: the random stream and the ids handed out so far."""

    def __init__(self, patterns: int, policies: int, seed: int, usecases: int = 0) -> None:
        self.rng = random.Random(seed)
        self.built_rng = random.Random(f"built-{seed}")
        """Names the parts use cases built themselves, apart from :attr:`rng`."""
        self.n_patterns = patterns
        self.n_policies = policies
        self.n_usecases = usecases
        self.risk_model: RiskTiers | None = None
        self.taken: dict[str, set[str]] = {}
        rng = self.rng
        self.choices: dict[str, Callable[[], str]] = {
            "subject": lambda: rng.choice(words.SUBJECTS), "unit": lambda: rng.choice(words.UNITS),
            "verb": lambda: rng.choice(words.VERBS), "benefit": lambda: rng.choice(words.BENEFITS),
            "feature": lambda: rng.choice(words.FEATURES), "component": lambda: rng.choice(words.COMPONENTS),
            "action": lambda: rng.choice(words.ACTIONS), "region": lambda: rng.choice(words.REGIONS),
            "milestone": lambda: rng.choice(words.MILESTONES), "days": lambda: str(rng.choice([7, 14, 30, 60, 90])),
            "amount": lambda: f"{rng.choice([500, 1000, 2500, 5000, 10000]):,}",
            "count": lambda: str(rng.choice([3, 5, 50, 100, 200, 500])),
            "percent": lambda: str(rng.choice([2, 5, 10])),
        }

    def fresh(self, namespace: str, make: Callable[[], str], tries: int = 20) -> str:
        """A text from ``make`` whose slug is not taken yet, if one turns up within ``tries`` draws."""
        taken = self.taken.setdefault(namespace, set())
        text = make()
        for _ in range(tries - 1):
            if slugify(text) not in taken:
                break
            text = make()
        return text

    def unique(self, namespace: str, text: str) -> str:
        taken = self.taken.setdefault(namespace, set())
        base = slugify(text)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        return slug

    def fill(self, template: str) -> str:
        """Fill each ``{name}`` in ``template`` with a fresh random choice."""
        return _FIELD.sub(lambda m: self.choices[m.group(1)](), template)

    def some(self, pool: Sequence[str], low: int, high: int) -> list[str]:
        """Between ``low`` and ``high`` distinct entries of ``pool``, filled and in pool order."""
        count = min(self.rng.randint(low, high), len(pool))
        picked = sorted(self.rng.sample(range(len(pool)), count))
        return [self.fill(pool[i]) for i in picked]

    def review_by(self) -> dt.date:
        # Fixed dates years ahead: no review-due warnings, and no dependence on today's date.
        return dt.date(2031, 1, 1) + dt.timedelta(days=self.rng.randrange(3 * 365))

    def pattern_heads(self) -> list[dict[str, Any]]:
        heads = []
        rng = self.rng
        drawn: dict[str, tuple[str, str]] = {}

        def draw() -> str:
            technique = rng.choice(words.TECHNIQUES)[0]
            subject = rng.choice(words.SUBJECTS)
            qualifier = rng.choice(words.QUALIFIERS) if rng.random() < 0.5 else ""
            title = f"{qualifier} {technique.lower()} for {subject}" if qualifier else f"{technique} for {subject}"
            drawn[title] = (technique, subject)
            return title

        techniques = {t[0]: t for t in words.TECHNIQUES}
        for _ in range(self.n_patterns):
            title = self.fresh("pattern", draw)
            name, category, aliases = techniques[drawn[title][0]]
            subject = drawn[title][1]
            status = rng.choices(["adopted", "trial", "proposed", "deprecated"], [55, 25, 12, 8])[0]
            heads.append({"id": self.unique("pattern", title), "title": title, "status": status,
                          "category": category, "technique": name, "aliases": aliases, "subject": subject})
        if heads and all(h["status"] == "deprecated" for h in heads):
            heads[0]["status"] = "adopted"
        return heads

    def related(self, ids: list[str], index: int) -> list[str]:
        """One to four other patterns; sampling indexes keeps this cheap for large playbooks."""
        want = self.rng.randint(1, 4)
        picks = self.rng.sample(range(len(ids)), min(len(ids), want + 1))
        return [ids[i] for i in picks if i != index][:want]

    def how_it_works(self, title: str, subject: str) -> str:
        rng = self.rng
        first = self.fill(
            f"{title} sits between the application and {{component}}. When a request arrives, "
            "{component} {action}, then {action}."
        )
        steps = [f"{i}. The service {self.fill('{action}')}." for i in range(1, rng.randint(3, 5) + 1)]
        data = self.fill(
            f"**Data handling.** {_cap(subject)} are read through the data catalogue, never copied "
            "into the team's own storage. Records stay in the {region} region, and logs are kept for {days} days."
        )
        running = self.fill(
            "**Running it.** The owning team deploys new versions behind a feature flag and watches the "
            "`error_rate` and `cost_per_request` charts for a week. Teams that want to {benefit} start from "
            "the template repository and ask the platform team for a quota."
        )
        paragraphs = [first, "A request goes through these steps:\n\n" + "\n".join(steps), data, running]
        if rng.random() < 0.5:
            paragraphs.append(self.fill(
                "**Limits.** The pattern does not cover {subject}; for those, talk to the {unit} team first."
            ))
        return "\n\n".join(paragraphs)

    def patterns(self, heads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rng
        ids = [h["id"] for h in heads]
        live = [h["id"] for h in heads if h["status"] != "deprecated"]
        items = []
        for index, head in enumerate(heads):
            kinds = sorted(rng.sample(list(ControlKind), rng.randint(3, 6)), key=list(ControlKind).index)
            status = head["status"]
            adopters = {"adopted": (1, 5), "trial": (1, 2)}.get(status, (0, 0))
            item: dict[str, Any] = {
                "id": head["id"],
                "title": head["title"],
                "summary": self.fill(f"{head['technique']} that lets teams {{verb}} {head['subject']} with "
                                     "{feature} and {feature} built in.")
                + (self.fill(" Teams in {unit} use it to {benefit}.") if rng.random() < 0.6 else ""),
                "status": status,
            }
            if status == "deprecated":
                item["superseded_by"] = rng.choice(live)
            item.update({
                "category": head["category"],
                "owner": rng.choice(words.OWNERS),
                "tiers": words.TIER_IDS[: rng.choices([1, 2, 3, 4], [2, 3, 3, 2])[0]],
                "platforms": sorted(rng.sample(words.PLATFORMS, rng.randint(2, 5)), key=words.PLATFORMS.index),
                "controls": [{"kind": kind.value, "text": self.fill(rng.choice(words.CONTROL_TEXTS[kind]))}
                             for kind in kinds],
                "when_to_use": self.some(words.WHEN_TO_USE, 2, 5),
                "when_not_to_use": self.some(words.WHEN_NOT_TO_USE, 2, 5),
                "how_it_works": self.how_it_works(head["title"], head["subject"]),
                "related": self.related(ids, index),
                "adopted_by": [f"{_cap(unit)} team" for unit in rng.sample(words.UNITS, rng.randint(*adopters))],
                "aliases": rng.sample(head["aliases"], rng.randint(0, len(head["aliases"]))),
                "tags": sorted(rng.sample(words.TAGS, rng.randint(2, 5)), key=words.TAGS.index),
                "references": [
                    {"title": f"{head['title']}: {part}",
                     "url": f"https://example.com/patterns/{head['id']}/{slugify(part)}"}
                    for part in rng.sample(["design notes", "runbook", "threat model", "cost model"], rng.randint(1, 3))
                ],
                "review_by": self.review_by(),
            })
            items.append({key: value for key, value in item.items() if value != []})
        return items

    def policies(self, live_patterns: list[str]) -> list[dict[str, Any]]:
        rng = self.rng
        actions: dict[str, str] = {}

        def draw() -> str:
            action = rng.choice(words.POLICY_ACTIONS)
            title = f"{action} {self.fill(rng.choice(words.POLICY_SCOPES))}"
            actions[title] = action
            return title

        items = []
        for _ in range(self.n_policies):
            title = self.fresh("policy", draw)
            action = actions[title]
            policy_id = self.unique("policy", title)
            statement = self.fill(
                f"Teams must **{title[0].lower() + title[1:]}**. The owning team keeps evidence for {{days}} days "
                "and shows it at the next audit sample."
            )
            if rng.random() < 0.5:
                statement += "\n\nThis covers:\n\n" + "\n".join(
                    f"- {self.fill(x)}" for x in rng.sample(
                        ["{subject} handled by {unit}", "prompts and responses", "fine-tuning data",
                         "evaluation sets", "vendor-hosted models", "internal models"], rng.randint(2, 4))
                )
            policy: dict[str, Any] = {
                "id": policy_id,
                "title": title,
                "statement": statement,
            }
            if rng.random() < 0.8:
                policy["rationale"] = self.fill(
                    "Without it, {unit} cannot show an auditor how an output was produced. "
                    "It also lets teams {benefit}."
                )
            policy.update({
                "tiers": words.TIER_IDS[rng.choices([0, 1, 2, 3], [2, 3, 3, 2])[0]:],
                "patterns": rng.sample(live_patterns, min(len(live_patterns), rng.randint(1, 4))),
                "owner": rng.choice(words.POLICY_OWNERS),
                "exceptions": self.fill(
                    "Ask the policy owner through the exceptions form. Exceptions last at most {days} days "
                    "and are listed in the quarterly report."
                ),
            })
            if rng.random() < 0.3:
                policy["aliases"] = [f"{action.lower()} rule"]
            policy["review_by"] = self.review_by()
            items.append(policy)
        return items

    def answers(self) -> dict[str, Any]:
        """A random set of answers to the synthetic risk questions."""
        rng = self.rng
        return {
            "personal-data": rng.random() < 0.4,
            "external-model": rng.random() < 0.5,
            "budget": rng.choice([0, 2_000, 15_000, 60_000, 120_000, 400_000, 750_000]),
            "audience": rng.choices(["staff", "partners", "customers", "public"], [6, 2, 2, 1])[0],
            "data-kinds": [] if rng.random() < 0.7 else sorted(
                rng.sample(["health", "financial", "biometric", "children"], rng.randint(1, 2)),
                key=["health", "financial", "biometric", "children"].index),
            "automation": rng.choices(["advice", "approved", "acts", "decides"], [6, 3, 2, 1])[0],
        }

    def risk_tiers(self, live_patterns: list[str]) -> dict[str, Any]:
        rng = self.rng
        small, large = rng.choice([25_000, 50_000]), rng.choice([250_000, 500_000])
        data: dict[str, Any] = {**words.risk_framework(small, large), "examples": []}
        model = self.risk_model = RiskTiers.model_validate(data)
        quota = {tier: 3 for tier in words.TIER_IDS}
        for _attempt in range(10_000):
            if not any(quota.values()):
                break
            answers = self.answers()
            built_on = rng.sample(live_patterns, min(len(live_patterns), rng.randint(0, 2)))
            tier = classify(parse_answers(model, answers), model, built_on).tier.id
            if not quota[tier]:
                continue
            quota[tier] -= 1
            description = self.fill(f"{_cap(rng.choice(words.VERBS))} {{subject}} for the {{unit}} team.")
            example: dict[str, Any] = {"id": self.unique("example", description), "description": description,
                                       "answers": answers}
            if built_on:
                example["patterns"] = built_on
            example["expected_tier"] = tier
            data["examples"].append(example)
        return data

    def decision_rights(self) -> dict[str, Any]:
        rng = self.rng
        role_ids = [r[0] for r in words.ROLES]
        roles = [{"id": i, "name": n, "description": d} for i, n, d in words.ROLES]
        chosen = sorted(rng.sample(range(len(words.DECISION_POOL)), rng.randint(8, 11)))
        decisions = []
        for index in chosen:
            decision_id, name, ownership, escalates = words.DECISION_POOL[index]
            central = ownership == "central"
            accountable = rng.choice(["ai-lead", "ai-council"] if central else ["unit-lead", "product-owner"])
            rest = rng.sample([r for r in role_ids if r != accountable], 6)
            decision: dict[str, Any] = {
                "id": decision_id, "name": name,
                "description": self.fill(f"{name} for any team; the record is kept for {{days}} days."),
                "ownership": ownership,
                "raci": {"responsible": rest[: rng.randint(1, 2)], "accountable": [accountable],
                         "consulted": rest[2: 2 + rng.randint(1, 2)], "informed": rest[4: 4 + rng.randint(1, 2)]},
            }
            if escalates:
                decision["escalates_from"] = escalates
            decisions.append(decision)
        return {"roles": roles, "decisions": decisions}

    def roadmap(self, live_patterns: list[str], policies: list[str]) -> dict[str, Any]:
        rng = self.rng
        role_ids = [r[0] for r in words.ROLES]
        steps = []
        for step_id, title, goal, pool in words.STEPS:
            texts = [pool[i] for i in sorted(rng.sample(range(len(pool)), rng.randint(3, 6)))]
            step: dict[str, Any] = {
                "id": step_id, "title": title, "goal": goal, "duration": rng.choice(words.DURATIONS),
                "checklist": [{"id": self.unique("checklist", text), "text": f"{text}.", "owner": rng.choice(role_ids)}
                              for text in texts],
                "exit_criteria": self.some(words.EXIT_CRITERIA, 2, 4),
                "patterns": rng.sample(live_patterns, min(len(live_patterns), rng.randint(1, 4))),
                "policies": rng.sample(policies, min(len(policies), rng.randint(0, 3))),
            }
            steps.append({key: value for key, value in step.items() if value != []})
        return {"steps": steps}

    def pilots(self, roadmap: dict[str, Any]) -> list[dict[str, Any]]:
        rng = self.rng
        steps = roadmap["steps"]
        pilots = []
        for unit in rng.sample(words.UNITS, rng.randint(3, 5)):
            current = rng.randint(1, len(steps) - 1)
            checklist = {item["id"]: True for step in steps[:current] for item in step["checklist"]}
            checklist.update({item["id"]: rng.random() < 0.5 for item in steps[current]["checklist"]})
            start = dt.date(2025, 1, 6) + dt.timedelta(weeks=rng.randrange(40))
            pilots.append({
                "team": self.unique("pilot", f"{unit} team"), "name": f"{_cap(unit)} team",
                "sponsor": rng.choice(words.SPONSORS), "start": start, "end": start + dt.timedelta(weeks=13),
                "step": steps[current]["id"], "checklist": checklist,
                "metrics": {
                    "outcome": [{"name": "Use cases shipped", "value": str(rng.randint(1, 9))},
                                {"name": "Hours saved per month", "value": f"{rng.randrange(20, 900, 10)} h"}],
                    "process": [{"name": "Median time to decision", "value": f"{rng.randint(1, 12)} days"},
                                {"name": "Escalations to central review", "value": str(rng.randint(0, 6))}],
                },
            })
        return pilots

    def usecases(self, patterns: list[dict[str, Any]], teams: list[str]) -> list[dict[str, Any]]:
        """Use cases whose declared tier is the one the classifier gives, decided over 2026's second half."""
        rng = self.rng
        risk = self.risk_model
        assert risk is not None, "risk_tiers() runs first"
        models = {p["id"]: Pattern.model_validate(p) for p in patterns if p["status"] != "deprecated"}
        live = list(models)
        first_day = dt.date(2026, 7, 1)
        waits = {"none": (0, 0), "self-service": (0, 2), "fast-track": (1, 8), "central": (5, 25)}
        items = []
        for _ in range(self.n_usecases):
            title = self.fill(f"{_cap(rng.choice(words.VERBS))} {{subject}} for {{unit}}")
            answers = self.answers()
            built_on = rng.sample(live, min(len(live), rng.randint(0, 3)))
            custom = rng.random() < 0.2
            # Their own generator: naming the parts leaves every other field as the seed always gave it.
            built = [{"capability": capability, "note": self.built_rng.choice(words.BUILT_NOTES)}
                     for capability in self.built_rng.sample(words.CAPABILITIES, self.built_rng.randint(1, 2))
                     ] if custom else []
            result = classify(parse_answers(risk, answers), risk, built_on, models, custom)
            requested = first_day + dt.timedelta(days=rng.randrange(170))
            case: dict[str, Any] = {
                "id": self.unique("usecase", title), "title": title, "team": rng.choice(teams),
                "owner": rng.choice(words.OWNERS),
                "description": self.fill(f"{title}, so the team can {{benefit}}. It {{action}} and {{action}}."),
                "answers": answers, "patterns": built_on, "built": built,
                "status": rng.choices(["idea", "prototype", "production", "retired"], [2, 4, 6, 1])[0],
                "tier": result.tier.id, "requested": requested,
            }
            if rng.random() < 0.9:
                low, high = waits[result.review.value]
                case.update({
                    "decided": requested + dt.timedelta(days=rng.randint(low, high)),
                    "review": result.review.value,
                    "outcome": rng.choices(["approved", "approved-with-conditions", "rejected", "withdrawn"],
                                           [12, 4, 2, 1])[0],
                    "reviewer": rng.choice(words.OWNERS),
                })
            if rng.random() < 0.7:
                case["value"] = {"hours_saved_per_month": rng.randrange(5, 400, 5),
                                 "yearly_cost": rng.randrange(1_000, 60_000, 500), "currency": "USD"}
            items.append({key: value for key, value in case.items() if value != []})
        return items

    def build(self) -> dict[str, str]:
        heads = self.pattern_heads()
        patterns = self.patterns(heads)
        live = [h["id"] for h in heads if h["status"] != "deprecated"]
        policies = self.policies(live)
        files = {"framework/risk-tiers.yml": to_yaml(self.risk_tiers(live))}
        rights = self.decision_rights()
        roadmap = self.roadmap(live, [p["id"] for p in policies])
        files["framework/roadmap.yml"] = to_yaml(roadmap)
        files["framework/decision-rights.yml"] = to_yaml(rights)
        for pattern in sorted(patterns, key=lambda p: p["id"]):
            files[f"patterns/{pattern['id']}.yml"] = to_yaml(pattern)
        for policy in sorted(policies, key=lambda p: p["id"]):
            files[f"policies/{policy['id']}.yml"] = to_yaml(policy)
        pilots = self.pilots(roadmap)
        for pilot in pilots:
            files[f"pilots/{pilot['team']}.yml"] = to_yaml(pilot)
        if self.n_usecases:
            for case in sorted(self.usecases(patterns, [p["team"] for p in pilots]), key=lambda c: c["id"]):
                files[f"usecases/{case['id']}.yml"] = to_yaml(case)
        return files


def synth_files(patterns: int, policies: int, seed: int = 0, usecases: int = 0) -> dict[str, str]:
    """Relative path -> YAML text of a synthetic playbook; the same arguments always give the same text."""
    if patterns < 1:
        raise PlaybookError("a synthetic playbook needs at least one pattern (policies must cite one)")
    if policies < 0 or usecases < 0:
        raise PlaybookError("the number of policies or use cases cannot be negative")
    return _Synth(patterns, policies, seed, usecases).build()


def write_synth(out: Path, patterns: int, policies: int, seed: int = 0, usecases: int = 0) -> list[Path]:
    """Write a synthetic playbook into ``out``, which must be missing or empty."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PlaybookError(f"{out} is not an empty folder; choose a new --out so no file is overwritten")
    files = synth_files(patterns, policies, seed, usecases)
    written = []
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
