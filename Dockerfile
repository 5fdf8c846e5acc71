# Multi-stage build: a static binary in a small, non-root image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# chancery (the command line) and chancery-server, which chancery serve, admin,
# render and import run.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/bin/ ./cmd/chancery ./cmd/chancery-server \
 && mkdir /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bin/ /usr/local/bin/
# The data directory belongs to the image's non-root user (65532), so a new
# volume mounted there is writable.
COPY --from=build --chown=65532:65532 /out/data /data
# Local storage lives in /data; mount a volume there (or use S3).
VOLUME ["/data"]
ENV CHANCERY_ADDR=0.0.0.0:8080 \
    CHANCERY_METRICS_ADDR=0.0.0.0:9464 \
    CHANCERY_DATA_DIR=/data
EXPOSE 8080 9464
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/chancery"]
CMD ["serve"]
