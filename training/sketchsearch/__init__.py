"""Sketch Search training (prepare, train, export). Importing the package tunes glibc's allocator first."""
from .malloc_tuning import keep_freed_memory

keep_freed_memory()
