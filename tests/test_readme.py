"""The README's example runs as written."""

import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs(capsys):
    text = README.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1
    exec(compile(blocks[0], str(README), "exec"), {})
    printed = capsys.readouterr().out
    params, score = printed.rsplit(" ", 1)
    assert "denoiser__strength" in params and "svc__C" in params
    assert float(score) > 0.9


def test_the_two_commands():
    text = README.read_text()
    commands = [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]
    assert commands == [
        'pip install ".[plot]" && skimgprep baseline',
        'pip install -e ".[test]" && python -m pytest',
    ]
    root = README.parent
    # CI runs the test command as written; the main job is the installed command.
    assert commands[1] in (root / ".ci" / "run").read_text()
    assert 'skimgprep = "skimgprep.cli:main"' in (root / "pyproject.toml").read_text()
