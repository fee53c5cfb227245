"""A PEP 517 build backend with no dependencies: builds the wheel (and sdist) of the pure-Python package `dataline`,
so `pip install clients/python` needs neither setuptools nor a package index."""
import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME, VERSION = "dataline", "0.1.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST_INFO = "%s-%s.dist-info" % (NAME, VERSION)
METADATA = ("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: The Python client for Dataline's dataset-service\n"
            "Requires-Python: >=3.9\nLicense: Apache-2.0\n" % (NAME, VERSION))


def _sources():
    package = os.path.join(ROOT, NAME)
    for directory, _, files in sorted(os.walk(package)):
        for file in sorted(files):
            if file.endswith(".py"):
                path = os.path.join(directory, file)
                yield os.path.relpath(path, ROOT).replace(os.sep, "/"), path


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_name = "%s-%s-py3-none-any.whl" % (NAME, VERSION)
    entries = [(name, open(path, "rb").read()) for name, path in _sources()]
    entries.append((DIST_INFO + "/METADATA", METADATA.encode("utf-8")))
    entries.append((DIST_INFO + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: dataline_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    record = [_record_line(name, data) for name, data in entries] + [DIST_INFO + "/RECORD,,"]
    entries.append((DIST_INFO + "/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in entries:
            wheel.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    base = "%s-%s" % (NAME, VERSION)
    sdist_name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, sdist_name), "w:gz") as sdist:
        for name in ["pyproject.toml", "README.md", "_build/dataline_build.py"] + [n for n, _ in _sources()]:
            sdist.add(os.path.join(ROOT, name), arcname=base + "/" + name)
        info = tarfile.TarInfo(base + "/PKG-INFO")
        data = METADATA.encode("utf-8")
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
    return sdist_name
