# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared fixtures: where the project's sources and build are."""

import os
import pathlib

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("IIO_SOURCE_DIR",
                                         pathlib.Path(__file__).resolve().parents[3]))
BUILD_DIR = pathlib.Path(os.environ.get("IIO_BUILD_DIR", SOURCE_DIR / "build"))
FIXTURE_XML = pathlib.Path(os.environ.get("IIO_FIXTURE_XML_DIR", "/work/shared/fixtures/xml"))


@pytest.fixture
def source_dir():
    return SOURCE_DIR


@pytest.fixture
def build_dir():
    return BUILD_DIR
