"""Review routing: `bmz sync` keeps a generated section of `.github/CODEOWNERS` asking each
partner's maintainers to review its pin; hand-written lines stay byte for byte."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from bmz_collection.core import codeowners
from bmz_collection.core.codeowners import BEGIN, END, Owners

from .gitrepos import Central, entry, make_partner

pytestmark = pytest.mark.usefixtures("git_env")

ADA = {"name": "Ada", "github_user": "ada-lovelace"}
GRACE = {"name": "Grace", "github_user": "Grace-Hopper"}
HAND = b"# Central maintainers own everything by default\n* @catalogue/maintainers\n"
TAIL = b"\n# docs reviewed by the docs team\n/docs/ @catalogue/docs\n"


# -- the pure part ---------------------------------------------------------------------------


def test_owners_are_deduplicated_sorted_and_checked() -> None:
    o = codeowners.owners(
        "alpha",
        [
            ["Zed", "zed"],
            ["Ada", "ada-lovelace"],
            ["Ada again", "Ada-Lovelace"],
            ["Tim", "None"],
            ["Nobody", None],
            ["At", "@handle"],
        ],
    )
    assert o.users == ("ada-lovelace", "zed")
    assert o.skipped == (
        "maintainer 'Tim': github_user 'None' is a placeholder, not a GitHub user name",
        "maintainer 'Nobody': no github_user",
        "maintainer 'At': github_user '@handle' is not a GitHub user name",
    )
    assert codeowners.section_lines([o, Owners("beta", ())]) == [
        "/partners/alpha @ada-lovelace @zed"
    ]
    assert Owners("beta", ()).notes() == [
        "note: partners/beta: no maintainer with a GitHub user in its collection, so nobody is "
        "asked to review its pin bumps (.github/CODEOWNERS)"
    ]


def test_the_section_is_appended_and_replaced_in_place() -> None:
    alpha = Owners("alpha", ("ada",))
    first = codeowners.update(HAND, [alpha])
    assert first is not None
    assert first == HAND + b"\n" + f"{BEGIN}\n/partners/alpha @ada\n{END}\n".encode()
    edited = first.replace(b"@ada\n", b"@ada @intruder\n") + TAIL
    again = codeowners.update(edited, [alpha, Owners("beta", ("bob",))])
    assert again == (
        HAND
        + b"\n"
        + f"{BEGIN}\n/partners/alpha @ada\n/partners/beta @bob\n{END}\n".encode()
        + TAIL
    )
    # no file and nobody to route to: no file; an existing file without a section is untouched
    assert codeowners.update(None, [Owners("beta", ())]) is None
    assert codeowners.update(HAND, [Owners("beta", ())]) == HAND
    # emptied: the markers stay, so the next partner with maintainers lands in the same place
    assert codeowners.update(again, []) == HAND + b"\n" + f"{BEGIN}\n{END}\n".encode() + TAIL
    # a file without a final newline, and CRLF line endings, are respected
    assert (
        codeowners.update(b"* @x", [alpha])
        == b"* @x\n\n" + f"{BEGIN}\n/partners/alpha @ada\n{END}\n".encode()
    )
    crlf = codeowners.update(b"* @x\r\n", [alpha])
    assert crlf == b"* @x\r\n\r\n" + f"{BEGIN}\r\n/partners/alpha @ada\r\n{END}\r\n".encode()
    assert codeowners.update(crlf, [alpha]) == crlf


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"* @x\n{BEGIN}\n", 2),
        (f"* @x\n{END}\n", 2),
        (f"{END}\n{BEGIN}\n", 1),
        (f"{BEGIN}\n{END}\n{BEGIN}\n{END}\n", 3),
    ],
)
def test_broken_markers_are_refused_with_their_line(text: str, line: int) -> None:
    with pytest.raises(codeowners.CodeownersError, match=rf"^\.github/CODEOWNERS:{line}: "):
        codeowners.update(text.encode(), [Owners("alpha", ("ada",))])


# -- driven through the commands -------------------------------------------------------------


def hook_main(argv: list[str]) -> int:
    hook = importlib.import_module("bmz_collection_hooks.check_collection")
    return int(hook.main(argv))


def co_path(central: Central) -> Path:
    return central.root / ".github" / "CODEOWNERS"


def test_partner_add_routes_reviews_and_sync_keeps_hand_written_lines(
    central: Central, tmp_path: Path
) -> None:
    path = co_path(central)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(HAND)
    central.git("add", ".github/CODEOWNERS")
    central.commit("hand-written owners")
    alpha = make_partner(tmp_path, "alpha", maintainers=[ADA])
    beta = make_partner(tmp_path, "beta")  # no maintainers
    for p in (alpha, beta):
        code, out, err = central.add(p)
        assert code == 0, out + err
    assert (
        path.read_bytes()
        == HAND + b"\n" + f"{BEGIN}\n/partners/alpha @ada-lovelace\n{END}\n".encode()
    )
    assert ".github/CODEOWNERS" in central.git("diff", "--cached", "--name-only").split()
    central.commit("partners")
    path.write_bytes(path.read_bytes() + TAIL)  # people add lines after the section too
    central.git("add", ".github/CODEOWNERS")
    central.commit("more hand-written owners")

    alpha.write_collection(
        [entry("alpha-app-0")], maintainers=[GRACE, ADA, {"name": "Tim", "github_user": "None"}]
    )
    alpha.commit("new maintainer")
    beta.write_collection([entry("beta-app-0"), entry("beta-new")])
    beta.commit("one more")
    code, out, err = central.sync()

    assert code == 0, out + err
    assert path.read_bytes() == (
        HAND
        + b"\n"
        + f"{BEGIN}\n/partners/alpha @ada-lovelace @Grace-Hopper\n{END}\n".encode()
        + TAIL
    )
    staged = central.git("diff", "--cached", "--name-only").split()
    assert sorted(staged) == [
        ".github/CODEOWNERS",
        "collection.yaml",
        "partners/alpha",
        "partners/beta",
    ]
    assert (
        "warning: partners/alpha: maintainer 'Tim': github_user 'None' is a placeholder, not a "
        "GitHub user name; not asked to review" in out
    )
    assert "note: partners/beta: no maintainer with a GitHub user" in out
    assert ".github/CODEOWNERS updated" in err
    central.commit("sync")
    code, out, err = central.sync()  # nothing new: no byte, no note
    assert code == 0
    assert "note:" not in out
    assert central.status() == ""

    assert central.remove("alpha")[0] == 0
    assert path.read_bytes() == HAND + b"\n" + f"{BEGIN}\n{END}\n".encode() + TAIL


def test_check_catches_a_hand_edit_of_the_generated_section(
    central: Central, tmp_path: Path
) -> None:
    assert central.add(make_partner(tmp_path, "alpha", maintainers=[ADA]))[0] == 0
    central.commit("alpha")
    assert central.sync("--no-fetch", "--check")[0] == 0
    path = co_path(central)
    good = path.read_bytes()
    path.write_bytes(good.replace(b"@ada-lovelace", b"@ada-lovelace @mallory"))
    status = central.status()

    code, out, _ = central.sync("--no-fetch", "--check")

    assert code == 1
    assert ".github/CODEOWNERS:2:1: error: the generated section differs" in out
    assert "[codeowners-check]" in out
    assert "[sync-check]" not in out  # collection.yaml itself is fine
    assert central.status() == status  # --check writes nothing
    assert hook_main(["--repo", str(central.root)]) == 1
    assert central.sync("--no-fetch")[0] == 0
    assert path.read_bytes() == good
    assert central.sync("--no-fetch", "--check")[0] == 0
    assert hook_main(["--repo", str(central.root)]) == 0


def test_check_catches_a_section_removed_by_hand(central: Central, tmp_path: Path) -> None:
    assert central.add(make_partner(tmp_path, "alpha", maintainers=[ADA]))[0] == 0
    co_path(central).unlink()
    code, out, _ = central.sync("--no-fetch", "--check")
    assert code == 1
    assert ".github/CODEOWNERS:1:1: error:" in out


def test_broken_markers_stop_the_sync_before_anything_is_written(
    central: Central, tmp_path: Path
) -> None:
    alpha = make_partner(tmp_path, "alpha", maintainers=[ADA])
    assert central.add(alpha)[0] == 0
    central.commit("alpha")
    path = co_path(central)
    path.write_bytes(path.read_bytes().replace(END.encode() + b"\n", b""))
    alpha.write_collection([entry("changed")], maintainers=[ADA])
    alpha.commit()
    before = central.collection
    pins = central.pins()

    code, _, err = central.sync()

    assert code == 2
    assert ".github/CODEOWNERS:1: the generated section needs both marker lines" in err
    assert central.collection == before
    assert central.pins() == pins


def test_no_maintainers_anywhere_means_no_file(central: Central, tmp_path: Path) -> None:
    assert central.add(make_partner(tmp_path, "alpha"))[0] == 0
    assert central.sync()[0] == 0
    assert not co_path(central).exists()
    assert central.sync("--no-fetch", "--check")[0] == 0


def test_a_root_codeowners_file_is_pointed_out(central: Central, tmp_path: Path) -> None:
    (central.root / "CODEOWNERS").write_text("* @someone\n")
    alpha = make_partner(tmp_path, "alpha")
    assert central.add(alpha)[0] == 0
    alpha.write_collection([entry("x")], maintainers=[ADA])
    alpha.commit()
    code, out, _ = central.sync()
    assert code == 0
    assert "warning: CODEOWNERS exists, but GitHub ignores it once .github/CODEOWNERS" in out
