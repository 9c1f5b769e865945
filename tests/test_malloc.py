"""The allocator cap is applied on glibc and left alone when switched off."""

import platform

import pytest

from dashboard.malloc import limit_arenas


def test_zero_leaves_the_allocator_alone():
    assert limit_arenas(0) is False
    assert limit_arenas(-1) is False


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_arenas_are_capped_on_glibc():
    assert limit_arenas(8) is True  # glibc's own cap on a 1-core machine: harmless in the test process
