"""The README stays true: every setting is documented, and CI runs the README's test command."""

from __future__ import annotations

from opgavewijzer.settings import PROJECT_ROOT, settings_fields
from opgavewijzer.settings_doc import table


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [variable for variable, *_ in settings_fields() if f"`{variable}`" not in readme]
    assert not missing, f"README lacks settings {missing}; regenerate with python -m opgavewijzer.settings_doc"
    assert table() in readme, "the configuration table in the README is out of date"


def test_every_setting_has_a_description() -> None:
    assert all(description for _, description, *_ in settings_fields())


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_shows_the_shipped_ranker_weights() -> None:
    from assistant.answer.ranker import RankerWeights
    from eval.train_ranker import weights_table

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert weights_table(RankerWeights.load()) in readme, "the feature/weight table in the README is out of date (make train prints it)"
