# syntax=docker/dockerfile:1
# Training Dashboard GPU worker: the same binary on a PyTorch CUDA runtime image, so jobs (evaluation,
# sampling) can start the team's PyTorch scripts as child processes on the GPU.
# NOTE: the `--role worker` mode arrives with the jobs issue; until then this image only builds.
# Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t training-dashboard-worker .
#   docker run --gpus all -v dashboard-data:/data -v "$PWD/runs:/runs" training-dashboard-worker

ARG PYTORCH_IMAGE=pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime

########## build: same as docker/Dockerfile ##########
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Whole tree (less .dockerignore): publish restores every project src/Dashboard references.
RUN dotnet publish src/Dashboard -c Release -o /app/publish /p:UseAppHost=false

########## the ASP.NET Core runtime, to copy into the PyTorch image ##########
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS aspnet

########## runtime: PyTorch + CUDA, with the ASP.NET Core runtime added ##########
FROM ${PYTORCH_IMAGE} AS runtime
# .NET needs ICU (or invariant globalization) and CA certificates; the PyTorch image is Ubuntu-based.
RUN apt-get update \
 && icu="$(apt-cache search --names-only '^libicu[0-9]+$' | cut -d' ' -f1 | sort -V | tail -n1)" \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates "$icu" \
 && rm -rf /var/lib/apt/lists/*
COPY --from=aspnet /usr/share/dotnet /usr/share/dotnet
RUN ln -sf /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && groupadd --system --gid 1654 app \
 && useradd --system --uid 1654 --gid app --create-home --home-dir /home/app app \
 && mkdir -p /data /runs \
 && chown app:app /data /runs
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
WORKDIR /app
COPY --from=build /app/publish .
USER app
VOLUME ["/data", "/runs"]
# The worker role (jobs issue) runs queued GPU jobs and serves no pages.
ENTRYPOINT ["dotnet", "Dashboard.dll", "--role", "worker", "--data", "/data", "--watch", "/runs"]
