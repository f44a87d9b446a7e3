"""Frozen teacher: ImageNet MobileNetV2 1.0 (google-coral/test_data, Apache-2.0) at its native 224."""
import numpy as np
import torch
import torch.nn.functional as F


def teacher_features(path, rgb_u8=None, tensors=None, batch=64, size=224):
    """rgb_u8 [N,128,128,3] uint8 (or tensors [N,3,128,128] in [-1,1]) -> pooled features [N,1280] float32."""
    torch.set_num_threads(max(2, torch.get_num_threads()))  # Debian's torch defaults to 1 thread here
    # The TorchScript returns (pooled features, logits); only the feature trunk is run (2.3x faster).
    body = torch.jit.load(path).eval().body
    n = len(rgb_u8) if rgb_u8 is not None else len(tensors)
    out = np.zeros((n, 1280), np.float32)
    with torch.no_grad():
        for i in range(0, n, batch):
            if rgb_u8 is not None:
                x = torch.from_numpy(rgb_u8[i:i + batch]).permute(0, 3, 1, 2).float() / 127.5 - 1
            else:
                x = torch.from_numpy(tensors[i:i + batch])
            x = F.interpolate(x, size=(size, size), mode='bilinear', align_corners=False)
            out[i:i + batch] = torch.flatten(body(x), 1).numpy()
    return out
