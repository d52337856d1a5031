#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The main job: build if needed, boot the QEMU board (real Debian kernel, patched
# dummy_hcd, simulated AD9361-like DMA converter), run our iiod as a USB gadget and
# stream over usb: with zero-copy and with the copy path; print one RESULT line.
# Options and details: tests/vm/demo.sh.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
exec "$SRC/tests/vm/demo.sh" "$@"
