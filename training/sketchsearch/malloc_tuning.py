"""Keep freed memory in the process instead of handing it back to the kernel after every batch.

PyTorch's CPU tensors of a batch (a 64 x 3 x 224 x 224 teacher input is 38 MB, a MobileNetV2 activation up
to 100 MB) are above glibc's mmap threshold, so each is mmap'ed, touched page by page (a page fault per 4 KiB,
zeroed by the kernel) and munmap'ed again at the end of the step. On the 2-core VMs this project trains on,
those faults took the CPU: the teacher features of 29,763 icons ran at 123 ms per image with the CPU 66-100%
in the kernel; the same process, after this tuning was applied to it with gdb, did 1,725 sketches at 6 ms per
image (prepare's log, 2026-12-07); a 128-image probe beside it: 268 ms per image before, 65 ms after.
Setting the thresholds once, at import, serves every entry point (prepare, train, export, the GPU scripts).
"""
import ctypes
import ctypes.util

# mallopt parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3

# glibc caps the mmap threshold at 32 MiB on 64-bit: requests above it are still mmap'ed (but fewer of them).
SETTINGS = ((M_MMAP_THRESHOLD, 32 << 20), (M_TRIM_THRESHOLD, 2 ** 31 - 1), (M_TOP_PAD, 1 << 30))


def keep_freed_memory():
    """Apply SETTINGS through glibc's mallopt; True when every setting took. A no-op (False) without glibc
    (macOS, musl) or where the C library refuses a value."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return all(mallopt(param, value) == 1 for param, value in SETTINGS)
