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
# Export-time edge stream of the image encoder (train.py and export.py --edge-mix/--edge-size; train.sh and
# gpu/device_train.sh pass it to train.py, which exports once with it): image embedding = normalise(0.85 *
# image branch + 0.15 * sketch branch on the image's edge drawing at 96 px, which keeps indexing above 80
# icons/s). No gradient goes through it (no --edge-train); train.py's evaluation embeds images with it.
# Chosen by the edge-stream ablation in models/MODEL_CARD.md.
# Then two blocks for image -> image search ("find similar"), appended to both encoders' output (zeros from the
# sketch encoder, so a drawing ranks images exactly as without them): a 15-bin colour histogram (weight 0.3) and
# the image branch's pooled features on a 64-dim PCA basis, half-whitened, fitted at export on 2,048 training
# images of the work folder (weight 2). Chosen on a split half of the main gallery's emoji (models/MODEL_CARD.md).
V2_EXPORT=(--edge-mix 0.85 --edge-size 96 --colour-weight 0.3 --instance-dims 64 --instance-weight 2 --instance-whiten 0.5)
V2_STEPS=900
# Then a warm restart (SGDR): a second cosine cycle of V2_RESTART_STEPS steps from the first cycle's student.pt,
# at half the peak learning rate and on new batches (train.py --init-from; the learning curve in the model card).
V2_RESTART_STEPS=600
V2_RESTART=(--lr 1e-3 --data-seed 1)
# Then the sketch side alone (sketchsearch.sketch_tune, from the second cycle's student.pt): V2_TUNE_STEPS steps of the
# sketch branch (after its first 4 blocks) against the image embeddings of the second cycle's image encoder, computed
# once and kept fixed; 64 QuickDraw drawings a step against the image side's class centres, Sketchy sketches and icon
# doodles against their own image, a relation loss toward the starting sketch branch. The image encoder is exported
# unchanged (its edge stream keeps the second cycle's sketch weights). The sketch-tuning section of the model card.
V2_TUNE_STEPS=900
V2_TUNE=(--lr 5e-4 --n-qd 64 --n-sk 8 --n-ol 24 --icon-doodles 0.5 --w-cls 1 --w-x 1 --w-keep 1)
