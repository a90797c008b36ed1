"""Reading a user's YAML file safely (bmdsim.yaml_reader), through the scenario loader and
the vehicle-file loader: one error line, fast, never a traceback, never the file's lines."""

from __future__ import annotations

import os
import time

import pytest

from bmdsim.catalogue import load_missile_file
from bmdsim.errors import ScenarioError, VehicleFileError
from bmdsim.scenario import load_scenario, parse_scenario
from bmdsim.yaml_reader import MAX_BYTES, check_structure


def billion_laughs(levels: int) -> str:
    """The alias bomb of issue 16: nine-fold aliases of aliases, 447 bytes at 9 levels."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnop"
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines) + "\nname: x\n"


@pytest.mark.parametrize("levels", [9, 10, 14])
def test_alias_bomb_fails_fast_in_one_line(tmp_path, levels):
    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs(levels))
    assert path.stat().st_size < 700
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert time.perf_counter() - t0 < 2.0
    assert "expands to more than" in err.value.message and "\n" not in err.value.message


def test_a_few_aliases_are_fine():
    text = "name: x\nsites:\n  - &p {id: p1, name: P, lat_deg: 50, lon_deg: 20}\n"
    assert parse_scenario(text).sites[0].id == "p1"
    check_structure(billion_laughs(4), label="x", error=ScenarioError)  # 6,561 nodes


@pytest.mark.parametrize(
    "text",
    [
        "name: x\ndescription: " + "[" * 1000 + "]" * 1000 + "\n",
        "name: x\ndescription: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n",
        "name: x\nd:\n" + "".join("  " * i + "- \n" for i in range(1, 400)),
    ],
    ids=["flow-seq", "flow-map", "block"],
)
def test_deep_nesting_is_one_line_not_a_recursion_error(text):
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, label="deep.yaml")
    assert time.perf_counter() - t0 < 3.0
    assert "nests deeper than" in err.value.message


def test_latin1_file_is_refused_by_content(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"not UTF-8 text \(byte 0xE9 on line 1\)"):
        load_scenario(path)


def test_binary_file_is_refused_by_content(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\x00\x01\x02 name: x")
    with pytest.raises(ScenarioError, match="not a text file"):
        load_scenario(path)


def test_a_utf8_bom_is_read(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffname: bom\n".encode())
    assert load_scenario(path).name == "bom"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
@pytest.mark.timeout(20)
def test_a_fifo_is_refused_not_read(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match="FIFO"):
        load_scenario(fifo)
    with pytest.raises(VehicleFileError, match="FIFO"):
        load_missile_file(fifo)


def test_a_folder_and_a_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)
    with pytest.raises(ScenarioError, match="cannot read: no such file"):
        load_scenario(tmp_path / "absent.yaml")


def test_too_large_file(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("name: x\ndescription: " + "y" * MAX_BYTES + "\n")
    with pytest.raises(ScenarioError, match="at most 1,048,576"):
        load_scenario(path)


def test_a_5000_digit_integer_is_one_line():
    with pytest.raises(ScenarioError) as err:
        parse_scenario("name: x\nuncertainty: {seed: " + "9" * 5000 + "}\n", label="s.yaml")
    assert len(err.value.message) < 300


SECRET_LINES = "".join(f"user{i}:$6$s3cr3tHASH{i}:19000:0:99999:7:::\n" for i in range(3))


def test_a_password_file_as_vehicle_is_refused_without_its_lines(tmp_path):
    """--missile /etc/shadow printed every line as "unknown field '...'" (issue 16)."""
    path = tmp_path / "shadow"
    path.write_text(SECRET_LINES)
    with pytest.raises(VehicleFileError) as err:
        load_missile_file(path)
    assert "s3cr3t" not in err.value.message and "user0" not in err.value.message
    assert "does not look like a vehicle file" in err.value.message


def test_a_password_file_as_scenario_is_refused_without_its_lines(tmp_path):
    path = tmp_path / "shadow.yaml"
    path.write_text(SECRET_LINES)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "s3cr3t" not in err.value.message
    assert "does not look like a scenario" in err.value.message


def test_an_unknown_long_key_is_shortened():
    key = "k" * 500
    with pytest.raises(ScenarioError) as err:
        parse_scenario(f"name: x\n{key}: 1\n", label="s.yaml")
    assert "unknown field" in err.value.message and key not in err.value.message
