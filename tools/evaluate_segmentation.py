#!/usr/bin/env python3
"""Segmentation evaluator for Training Dashboard jobs: mIoU and per-class IoU of a checkpoint.

  python3 tools/evaluate_segmentation.py --checkpoint {checkpoint} --output {output} --step {step} \
      --data /datasets/cityscapes_val --num-classes 19 [--model mypkg.models:build_deeplab] [--classes road,sidewalk,...]

--data holds images/ (png or jpg) and masks/ (png, class index per pixel, same file stem; --ignore-index is
skipped). The model is TorchScript (the checkpoint itself) or `module:function` returning an nn.Module, whose
weights come from the checkpoint's state dict (`state_dict`, `model`, or the dict itself; "module." prefixes
from DataParallel are dropped). The model maps a 1xCxHxW float batch in [0, 1] (optionally normalised with
--mean/--std) to 1xKxHxW logits (or a dict with "out", as torchvision's models return).
Writes metrics.json (val/mIoU, val/pixel_acc, val/IoU/<class>) and, for the first --samples images, pairs of
ground truth / prediction / difference PNGs with manifest.json. Runs on CUDA_VISIBLE_DEVICES' GPU when there is one.
"""
import argparse
import os
import sys

import numpy as np
import torch
from PIL import Image

from dashboard_contract import common_arguments, load_for_job, progress, write_manifest, write_metrics

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


def palette(num_classes):
    rng = np.random.default_rng(0)
    colours = rng.integers(0, 255, size=(max(num_classes, 1) + 1, 3), dtype=np.uint8)
    colours[-1] = 0
    return colours


def pairs(data):
    images, masks = os.path.join(data, "images"), os.path.join(data, "masks")
    if not os.path.isdir(images) or not os.path.isdir(masks):
        sys.exit(f"--data {data} must hold images/ and masks/")
    found = []
    for name in sorted(os.listdir(images)):
        stem, ext = os.path.splitext(name)
        mask = os.path.join(masks, stem + ".png")
        if ext.lower() in IMAGE_EXTENSIONS and os.path.exists(mask):
            found.append((os.path.join(images, name), mask, stem))
    if not found:
        sys.exit(f"no image with a mask of the same name under {data}")
    return found


def logits_of(output):
    if isinstance(output, dict):
        output = output["out"]
    if isinstance(output, (list, tuple)):
        output = output[0]
    return output


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common_arguments(parser)
    parser.add_argument("--num-classes", type=int, required=True)
    parser.add_argument("--classes", default="", help="comma-separated class names for val/IoU/<name>")
    parser.add_argument("--ignore-index", type=int, default=255)
    parser.add_argument("--mean", default="", help="e.g. 0.485,0.456,0.406")
    parser.add_argument("--std", default="", help="e.g. 0.229,0.224,0.225")
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--limit", type=int, default=0, help="evaluate only the first N images")
    args = parser.parse_args()

    device, model, step = load_for_job(torch, args)
    names = [n.strip() for n in args.classes.split(",")] if args.classes else [str(i) for i in range(args.num_classes)]
    if len(names) != args.num_classes:
        sys.exit(f"--classes names {len(names)} classes, --num-classes says {args.num_classes}")
    mean = torch.tensor([float(v) for v in args.mean.split(",")], device=device).view(1, -1, 1, 1) if args.mean else None
    std = torch.tensor([float(v) for v in args.std.split(",")], device=device).view(1, -1, 1, 1) if args.std else None

    items = pairs(args.data)
    if args.limit:
        items = items[: args.limit]
    k = args.num_classes
    confusion = torch.zeros(k * k, dtype=torch.int64, device=device)
    colours = palette(k)
    samples = []
    with torch.inference_mode():
        for index, (image_path, mask_path, stem) in enumerate(items, start=1):
            image = np.asarray(Image.open(image_path).convert("RGB"), dtype=np.float32) / 255.0
            mask = torch.from_numpy(np.asarray(Image.open(mask_path), dtype=np.int64)).to(device)
            x = torch.from_numpy(image).permute(2, 0, 1).unsqueeze(0).to(device)
            if mean is not None and std is not None:
                x = (x - mean) / std
            logits = logits_of(model(x))
            if logits.shape[-2:] != mask.shape[-2:]:
                logits = torch.nn.functional.interpolate(logits, size=mask.shape[-2:], mode="bilinear", align_corners=False)
            prediction = logits.argmax(1)[0]
            valid = (mask != args.ignore_index) & (mask >= 0) & (mask < k)
            confusion += torch.bincount(mask[valid] * k + prediction[valid], minlength=k * k)
            if len(samples) < args.samples:
                shown_mask = torch.where(valid, mask, torch.full_like(mask, k)).cpu().numpy()
                shown_pred = prediction.cpu().numpy()
                wrong = (valid & (prediction != mask)).cpu().numpy()
                Image.fromarray(colours[shown_mask]).save(os.path.join(args.output, f"{index}_gt.png"))
                Image.fromarray(colours[shown_pred]).save(os.path.join(args.output, f"{index}_gen.png"))
                Image.fromarray((wrong * 255).astype(np.uint8)).save(os.path.join(args.output, f"{index}_diff.png"))
                samples.append({"name": stem, "ground_truth": f"{index}_gt.png", "generated": f"{index}_gen.png", "difference": f"{index}_diff.png"})
            progress(index, len(items))

    matrix = confusion.view(k, k).double().cpu()
    true_positive = matrix.diag()
    union = matrix.sum(0) + matrix.sum(1) - true_positive
    present = union > 0
    iou = torch.where(present, true_positive / union.clamp(min=1), torch.zeros_like(union))
    metrics = {
        "val/mIoU": float(iou[present].mean()) if present.any() else float("nan"),
        "val/pixel_acc": float(true_positive.sum() / matrix.sum().clamp(min=1)),
    }
    for c in range(k):
        if present[c]:
            metrics[f"val/IoU/{names[c]}"] = float(iou[c])
    write_metrics(args.output, step, metrics)
    write_manifest(args.output, samples)
    print(f"mIoU {metrics['val/mIoU']:.4f} over {len(items)} images ({int(present.sum())} classes present)", flush=True)


if __name__ == "__main__":
    main()
