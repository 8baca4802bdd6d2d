"""docs/teaching.md and its answer key (scripts/answer_key.py, which writes docs/teaching_answers.md).

The lesson plan must give every exercise the command the answer key runs, the answer key must answer
every exercise with finite numbers, and every glossary word that the guide, the answers, the reports
and the plots use must have its entry under "## Glossary" in docs/teaching.md.
"""

import importlib.util
import re
import shlex
import sys
from pathlib import Path

import pytest

from sim.experiment_plots import METRIC_LABELS
from sim.experiment_report import GLOSSARY
from sim.reports import RUN_GLOSSARY

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "teaching.md"

#: Terms the lesson plan promises in its glossary (its brief), each as the heading that defines it.
REQUIRED = {
    "view": "View",
    "impression": "Impression",
    "like/view": "Like/view",
    "engagement rate per view": "Engagement rate per view",
    "engagement rate per follower": "Engagement rate per follower",
    "organic likes": "Organic likes",
    "displayed likes": "Displayed likes",
    "social proof": "Social proof",
    "Gini": "Gini",
    "Lorenz curve": "Lorenz curve",
    "top 1% share": "Top 1% share",
    "confidence interval (95%)": "Confidence interval (95%)",
    "replicate": "Replicate",
    "arm": "Arm",
    "paired difference": "Paired difference",
    "traffic pool": "Traffic pool",
    "For-You feed": "For-You feed",
    "like farm": "Like farm",
    "bought likes": "Bought likes",
    "detection": "Detection",
    "strike": "Strike",
    "purge": "Purge",
    "audit": "Audit",
    "precision": "Precision",
    "recall": "Recall",
    "AUC": "AUC",
    "survival (of bought likes)": "Survival (of bought likes)",
    "coins": "Coins",
    "diamonds": "Diamonds",
    "gifts": "Gifts",
    "LIVE": "LIVE",
    "VIP subscription": "VIP subscription",
    "whale": "Whale",
    "brand deal": "Brand deal",
    "rate card": "Rate card",
    "return on spend": "Return on spend",
    "follower tier": "Follower tier",
    "quiet followers": "Quiet followers",
    "strategy": "Strategy",
    "adaptation/imitation": "Adaptation (imitation)",
    "payoff": "Payoff",
    "exploration": "Exploration",
}
#: The words of the run and experiment reports' glossaries (sim/reports.py RUN_GLOSSARY,
#: sim/experiment_report.py GLOSSARY), each with the headings that explain it.
REPORT_WORDS = {
    "view": ["View"],
    "organic likes": ["Organic likes", "Displayed likes"],
    "like/view": ["Like/view"],
    "Gini": ["Gini"],
    "engagement per follower": ["Engagement rate per follower"],
    "precision, recall": ["Precision", "Recall"],
    "AUC": ["AUC"],
    "hazard": ["Hazard"],
    "replicate": ["Replicate"],
    "95% interval [low, high]": ["Confidence interval (95%)"],
    "95% interval": ["Confidence interval (95%)"],
    "replicates": ["Replicate"],
    "glossary": [],  # a pointer to docs/teaching.md itself
    "clear / cannot tell apart": ["Clear (and cannot tell apart)"],
    "organic engagement": ["Organic engagement"],
    "displayed engagement": ["Displayed engagement"],
}
#: What each metric of the experiment plots (sim/experiment_plots.py METRIC_LABELS) is called in the glossary.
METRIC_WORDS = {
    "followers_gained": ["Followers gained"],
    "engagement_per_view": ["Displayed engagement", "Engagement rate per view"],
    "income": ["Income"],
    "organic_engagement_per_view": ["Organic engagement"],
    "gift_income": ["Gifts", "Income"],
    "vip_income": ["VIP subscription", "Income"],
    "brand_income": ["Brand deal", "Income"],
    "profit": ["Profit"],
    "like_spend": ["Spend on likes"],
    "views": ["View"],
    "like_view_median": ["Like/view", "Mean and median"],
    "views_gini": ["Gini"],
    "top1pct_view_share": ["Top 1% share"],
    "followers_gini": ["Gini", "Followers and follows"],
    "bought_like_survival_28d": ["Survival (of bought likes)"],
    "audit_auc": ["Audit", "AUC"],
    "creator_share_of_spend": ["Creators' share of spend"],
    "gift_top20_share": ["Top 20% gifters' share"],
    "gift_income_gini": ["Gini", "Gifts"],
    "brand_roi_audited": ["Return on spend", "Audited and unaudited brands"],
    "brand_roi_unaudited": ["Return on spend", "Audited and unaudited brands"],
}
#: Words of the run plots' titles and axes (sim/plots.py), each with its heading.
PLOT_WORDS = {
    "Lorenz curve": "Lorenz curve",
    "perfect equality": "Perfect equality",
    "Kaplan-Meier": "Kaplan-Meier",
    "matched organic creators": "Matched control",
    "EUR per extra follower": "Cost per extra follower",
    "ROC": "ROC curve",
    "Rate card": "Rate card",
    "break-even": "Break-even",
    "pooled": "Pooled",
    "follower tier": "Follower tier",
    "10-90%": "Percentile",
    "median": "Mean and median",
    "Strategies followed": "Strategy",
}


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_").replace(" ", "-")


def section(text: str, title: str) -> str:
    """The body of the level-2 section ``## title`` (up to the next level-2 heading)."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"no section '## {title}'"
    return match.group(1)


def headings(text: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", text, flags=re.M)


def exercises(text: str) -> dict[int, str]:
    """Each exercise's text in docs/teaching.md, by number."""
    body = section(text, "Exercises")
    parts = re.split(r"^### (.+)$", body, flags=re.M)
    found = {}
    for title, content in zip(parts[1::2], parts[2::2], strict=True):
        number = re.fullmatch(r"Exercise (\d+)", title)
        if number:
            found[int(number.group(1))] = content
    return found


def command_of(content: str) -> list[str] | None:
    """The ``likesim`` command in an exercise's first ``sh`` block, as an argument list."""
    block = re.search(r"```sh\n(.*?)```", content, flags=re.S)
    if block is None:
        return None
    return shlex.split(block.group(1).replace("\\\n", " "))


@pytest.fixture(scope="module")
def answer_key():
    spec = importlib.util.spec_from_file_location("answer_key", ROOT / "scripts" / "answer_key.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["answer_key"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    yield module
    del sys.modules["answer_key"]


@pytest.fixture(scope="module")
def quick(answer_key, tmp_path_factory):
    """The answer key run with --quick into a temporary file: (answers by exercise, the file's text)."""
    out = tmp_path_factory.mktemp("answers") / "teaching_answers.md"
    answers = answer_key.main(["--quick", "--out", str(out), "--workers", "2"])
    return answers, out.read_text()


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text()


def test_every_exercise_has_the_answer_keys_command(guide, answer_key):
    found = exercises(guide)
    assert len(found) >= 8
    assert sorted(found) == list(range(1, len(found) + 1)), "exercises are numbered 1, 2, 3, ..."
    assert sorted(found) == sorted(ex.number for ex in answer_key.EXERCISES)
    for ex in answer_key.EXERCISES:
        command = command_of(found[ex.number])
        assert command is not None, f"Exercise {ex.number} has no ```sh command"
        assert command[0] == "likesim"
        assert command == ex.shown(), f"Exercise {ex.number}: the guide's command is not the answer key's"
        assert f"(teaching_answers.md#exercise-{ex.number})" in found[ex.number], "no link to its answer"


@pytest.mark.slow
def test_the_answer_key_answers_every_exercise(guide, quick):
    answers, text = quick
    assert sorted(answers) == sorted(exercises(guide))
    bodies = dict(re.findall(r"^## Exercise (\d+)\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S))
    assert sorted(map(int, bodies)) == sorted(exercises(guide))
    for number, body in bodies.items():
        assert "```sh\nlikesim " in body, f"Exercise {number}: no command"
        assert "|---|" in body, f"Exercise {number}: no table of numbers"
        assert "**Answer.**" in body, f"Exercise {number}: no answer in words"


@pytest.mark.slow
def test_the_quick_numbers_are_finite(quick):
    answers, text = quick
    for number, answer in answers.items():
        assert answer.numbers, f"Exercise {number} shows no numbers"
        bad = {name: value for name, value in answer.numbers.items() if not value.finite()}
        assert not bad, f"Exercise {number}: not finite: {bad}"
    assert not re.search(r"\bnan\b|n/a", text), "the quick answers show a number that cannot be computed"


@pytest.mark.slow
def test_glossary_links_resolve(guide, quick):
    _, answers = quick
    anchors = {slug(h) for level in (2, 3) for h in headings(guide, level)}
    inside = re.findall(r"\]\(#([^)]+)\)", guide)
    assert inside and set(inside) <= anchors, sorted(set(inside) - anchors)
    from_answers = re.findall(r"\]\(teaching\.md#([^)]+)\)", answers)
    assert from_answers and set(from_answers) <= anchors, sorted(set(from_answers) - anchors)
    answer_anchors = {slug(h) for h in headings(answers, 2)}
    to_answers = re.findall(r"\]\(teaching_answers\.md#([^)]+)\)", guide)
    assert to_answers and set(to_answers) <= answer_anchors, sorted(set(to_answers) - answer_anchors)


def test_the_glossary_covers_the_words_of_the_lesson_reports_and_plots(guide):
    glossary = headings(section(guide, "Glossary"), 3)
    assert glossary == sorted(glossary, key=str.lower), "glossary entries are in alphabetical order"
    assert len(set(map(slug, glossary))) == len(glossary), "two entries share an anchor"
    missing = [term for term, heading in REQUIRED.items() if heading not in glossary]
    assert not missing, f"no glossary entry for {missing}"
    new = sorted((set(RUN_GLOSSARY) | set(GLOSSARY)) - set(REPORT_WORDS))
    assert not new, (
        f"the reports explain {new}: add them to docs/teaching.md's glossary and REPORT_WORDS here"
    )
    new = sorted(set(METRIC_LABELS) - set(METRIC_WORDS))
    assert not new, f"the plots show {new}: add them to docs/teaching.md's glossary and METRIC_WORDS here"
    for words in (*REPORT_WORDS.values(), *METRIC_WORDS.values(), *([h] for h in PLOT_WORDS.values())):
        assert set(words) <= set(glossary), f"no glossary entry for {sorted(set(words) - set(glossary))}"


def test_the_guide_cites_only_files_of_the_repository(guide):
    assert not re.search(r"https?://(?!localhost)", guide), "the guide must stand alone: no outside links"
    cited = set(re.findall(r"\b((?:docs|scenarios|sim|scripts|tests)/[\w./-]*\w\.(?:md|yaml|py))", guide))
    assert cited, "the guide cites no file"
    missing = sorted(path for path in cited if not (ROOT / path).exists())
    assert not missing, f"the guide cites files that do not exist: {missing}"
