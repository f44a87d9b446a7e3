# The shipped model's recipe, one list sourced by train.sh (both builds), ablate.sh (variant v2 and its
# ablations) and gpu/device_train.sh, so they cannot drift apart. models/MODEL_CARD.md explains each option.
# Same-size student (v2): both branches the teacher's MobileNetV2 1.0 with batch norm per branch, the
# sketch branch trained after its first 4 blocks, soft weight sharing (TCN), icons drawn as doodles,
# aligned sketch targets in the split teacher space.
V2_RECIPE=(--arch v2 --freeze-stem 4 --n-qd 24 --n-sk 16 --n-ol 48 --w-cls 0.5
           --teacher-space split --tau-t-sk 0.1 --sk-align 0.5 --w-share 1e-3 --icon-doodles 0.5)
# Test-time views of a query sketch, baked into the exported sketch encoder: as drawn and with its ink
# grown by a 3x3 min filter, no mirror (two views fit the 25 ms query budget; the views ablation in
# models/MODEL_CARD.md).
V2_VIEWS=(--flip '' --sketch-views 0,3)
# Export-time edge stream of the image encoder (export.py --edge-mix/--edge-size; train.sh re-exports the
# trained student with it): image embedding = normalise(0.85 * image branch + 0.15 * sketch branch on the
# image's edge drawing at 96 px, which keeps indexing above 80 icons/s). Not used in training; chosen by the
# edge-stream ablation in models/MODEL_CARD.md.
V2_EXPORT=(--edge-mix 0.85 --edge-size 96)
V2_STEPS=900
# Then a warm restart (SGDR): a second cosine cycle of V2_RESTART_STEPS steps from the first cycle's student.pt,
# at half the peak learning rate and on new batches (train.py --init-from; the learning curve in the model card).
V2_RESTART_STEPS=600
V2_RESTART=(--lr 1e-3 --data-seed 1)
