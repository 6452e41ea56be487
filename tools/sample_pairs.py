#!/usr/bin/env python3
"""Sampler for Training Dashboard jobs: ground truth / generated / difference image pairs from a checkpoint.

  python3 tools/sample_pairs.py --checkpoint {checkpoint} --output {output} --step {step} \
      --data /datasets/val_images [--model mypkg.models:build_vae] [--count 8] [--size 256]

For image-to-image models (autoencoders and VAEs reconstructing their input, translation and restoration
networks): each image of --data (png or jpg) goes through the model as a 1x3xHxW float batch in [0, 1]
(--size resizes first); the output (a tensor, or the first element of a tuple/list, or a dict's "out" /
"reconstruction" / "sample") is the generated image. --target names a folder of targets with the same file
names when the ground truth is not the input itself. Writes N_gt.png, N_gen.png, N_diff.png (absolute
difference, amplified) and manifest.json, and metrics.json with sample/mse and sample/psnr at the step.
"""
import argparse
import math
import os
import sys

import numpy as np
import torch
from PIL import Image

from dashboard_contract import common_arguments, load_for_job, progress, write_manifest, write_metrics

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


def to_image(tensor):
    array = tensor.detach().clamp(0, 1).mul(255).round().byte().permute(1, 2, 0).cpu().numpy()
    return Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else array)


def generated_of(output):
    if isinstance(output, dict):
        for key in ("out", "reconstruction", "recon", "sample", "x_hat"):
            if key in output:
                return output[key]
        sys.exit(f"the model returned a dict without out/reconstruction/sample: {sorted(output)}")
    if isinstance(output, (list, tuple)):
        return output[0]
    return output


def load(path, size):
    image = Image.open(path).convert("RGB")
    if size:
        image = image.resize((size, size), Image.BICUBIC)
    return torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0).permute(2, 0, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common_arguments(parser)
    parser.add_argument("--target", default="")
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--amplify", type=float, default=4.0, help="difference images are |gt - generated| times this")
    args = parser.parse_args()

    device, model, step = load_for_job(torch, args)
    names = sorted(n for n in os.listdir(args.data) if n.lower().endswith(IMAGE_EXTENSIONS))[: args.count]
    if not names:
        sys.exit(f"no png or jpg images under {args.data}")
    samples, errors = [], []
    with torch.inference_mode():
        for index, name in enumerate(names, start=1):
            source = load(os.path.join(args.data, name), args.size).to(device)
            target = load(os.path.join(args.target, name), args.size).to(device) if args.target else source
            generated = generated_of(model(source.unsqueeze(0)))[0]
            if generated.shape[-2:] != target.shape[-2:]:
                generated = torch.nn.functional.interpolate(generated.unsqueeze(0), size=target.shape[-2:], mode="bilinear", align_corners=False)[0]
            if generated.shape[0] != target.shape[0]:
                generated = generated.expand_as(target) if generated.shape[0] == 1 else generated[: target.shape[0]]
            generated = generated.clamp(0, 1)
            errors.append(float(torch.mean((generated - target) ** 2)))
            to_image(target).save(os.path.join(args.output, f"{index}_gt.png"))
            to_image(generated).save(os.path.join(args.output, f"{index}_gen.png"))
            to_image(((generated - target).abs() * args.amplify).clamp(0, 1)).save(os.path.join(args.output, f"{index}_diff.png"))
            samples.append({"name": os.path.splitext(name)[0], "ground_truth": f"{index}_gt.png", "generated": f"{index}_gen.png", "difference": f"{index}_diff.png"})
            progress(index, len(names))
    mse = sum(errors) / len(errors)
    write_metrics(args.output, step, {"sample/mse": mse, "sample/psnr": 10 * math.log10(1 / mse) if mse > 0 else float("inf")})
    write_manifest(args.output, samples)
    print(f"{len(samples)} samples, mse {mse:.5f}", flush=True)


if __name__ == "__main__":
    main()
