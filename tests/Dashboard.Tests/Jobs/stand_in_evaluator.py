#!/usr/bin/env python3
"""Stand-in evaluator for the job tests (standard library only; CI has no GPU and no PyTorch).

Usage: stand_in_evaluator.py CHECKPOINT OUTPUT STEP
The checkpoint file's text says what to do: "MODE [SECONDS]".
It follows the evaluator contract: prints "i/N" progress lines, writes OUTPUT/metrics.json,
ground-truth / generated / difference PNGs and OUTPUT/manifest.json. It also records what it was
given (argv.json: its arguments as received; run.json: slot, working folder, start/end times).
MODE: ok | slow (SECONDS of work) | crash | nonzero | hang | garbage | badpng
"""
import json
import os
import struct
import sys
import time
import zlib


def png(path, width, height, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(rows)))
        f.write(chunk(b"IEND", b""))


def main():
    checkpoint, output, step = sys.argv[1:4]
    with open(checkpoint) as f:
        words = f.read().split()
    mode = words[0] if words else "ok"
    seconds = float(words[1]) if len(words) > 1 else 1.0
    started = time.time()
    with open(os.path.join(output, "argv.json"), "w") as f:
        json.dump(sys.argv[1:], f)
    if mode == "hang":
        print("0/50", flush=True)
        while True:
            time.sleep(1)
    total = 50
    for i in range(1, total + 1):
        if mode == "slow":
            time.sleep(seconds / total)
        print(f"{i}/{total}", flush=True)
    if mode == "crash":
        raise RuntimeError("CUDA error: device-side assert triggered (stand-in)")
    if mode == "nonzero":
        print("evaluation failed on purpose", file=sys.stderr)
        sys.exit(3)
    if mode == "garbage":
        with open(os.path.join(output, "metrics.json"), "w") as f:
            f.write('{"step": 5000, "metrics": {"val/mIoU": ')
        return
    shade = (int(step or 0) // 10) % 256
    png(os.path.join(output, "0_gt.png"), 8, 8, lambda x, y: (x * 32 % 256, y * 32 % 256, 128))
    png(os.path.join(output, "0_gen.png"), 8, 8, lambda x, y: (x * 32 % 256, y * 32 % 256, shade))
    png(os.path.join(output, "0_diff.png"), 8, 8, lambda x, y: (0, 0, abs(128 - shade)))
    if mode == "badpng":
        with open(os.path.join(output, "1_gen.png"), "w") as f:
            f.write("this is not an image")
    with open(os.path.join(output, "manifest.json"), "w") as f:
        json.dump({"samples": [{"name": "0", "ground_truth": "0_gt.png", "generated": "0_gen.png", "difference": "0_diff.png"}]}, f)
    # A checkpoint whose name tells no step: the evaluator knows it (a real one reads it from the checkpoint).
    step = int(step) if step else 700
    miou = 0.5 + step / 100000
    with open(os.path.join(output, "metrics.json"), "w") as f:
        json.dump({"step": step, "metrics": {"val/mIoU": miou, "val/IoU_road": 0.9}}, f)
    with open(os.path.join(output, "run.json"), "w") as f:
        json.dump({"slot": os.environ.get("CUDA_VISIBLE_DEVICES"), "cwd": os.getcwd(), "start": started, "end": time.time()}, f)
    print("done", flush=True)


if __name__ == "__main__":
    main()
