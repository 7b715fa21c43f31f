from __future__ import annotations

import io
import tarfile

from fraudspec.artifact.package import HANDLER_FILES, handler_files, tar_gz


def test_archive_bytes_do_not_depend_on_insertion_order_or_time():
    files = {"b.npy": b"2", "code/inference.py": b"x", "a/deep/c.txt": b"3", "manifest.json": b"{}"}
    first = tar_gz(files)
    assert first == tar_gz(dict(reversed(list(files.items()))))
    assert first[4:8] == b"\0\0\0\0"  # gzip header mtime
    assert first[3] & 0x08 == 0  # no file name in the gzip header


def test_entries_are_sorted_owned_by_root_with_fixed_times_and_modes():
    archive = tarfile.open(fileobj=io.BytesIO(tar_gz({"z.npy": b"1", "code/inference.py": b"pass\n"})))
    entries = archive.getmembers()
    assert [e.name for e in entries] == ["code", "code/inference.py", "z.npy"]
    assert {(e.mtime, e.uid, e.gid, e.uname, e.gname) for e in entries} == {(0, 0, 0, "", "")}
    assert [e.mode for e in entries] == [0o755, 0o644, 0o644] and entries[0].isdir()
    assert archive.extractfile("code/inference.py").read() == b"pass\n"


def test_handler_files_are_the_serving_modules():
    files = handler_files()
    assert sorted(files) == [f"code/{name}" for name in HANDLER_FILES]
    assert b"def model_fn" in files["code/inference.py"]
    # numpy and the standard library only: no fraudspec, scikit-learn or top-level boto3 import
    for content in files.values():
        for line in content.decode().splitlines():
            if line.startswith(("import ", "from ")):
                assert not any(name in line for name in ("fraudspec", "sklearn", "scipy", "boto3")), line
