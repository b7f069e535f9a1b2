"""Print the configuration table of the README from the ``Settings`` class.

``python -m opgavewijzer.settings_doc`` writes Markdown; a test checks that the
README holds every field, so the table cannot fall behind the code.
"""

from __future__ import annotations

from pydantic import SecretStr

from opgavewijzer.settings import PROJECT_ROOT, settings_fields


def _default(value: object) -> str:
    if isinstance(value, SecretStr):
        return "(empty)" if not value.get_secret_value() else "(set)"
    text = "" if value is None else str(value)
    root = str(PROJECT_ROOT)
    if text.startswith(root):
        text = "." + text[len(root):]
    return text if text else "(empty)"


def table() -> str:
    """The Markdown table: variable, default, description."""
    rows = ["| variable | default | description |", "|---|---|---|"]
    for variable, description, default, _ in settings_fields():
        rows.append(f"| `{variable}` | `{_default(default)}` | {description} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
