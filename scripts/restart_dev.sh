#!/usr/bin/env bash
# Developer helper: retrain if needed and restart Rasa + actions in the background (logs in /tmp).
cd "$(dirname "$0")/.." || exit 1
export PYTHONPATH=. RASA_TELEMETRY_ENABLED=false
.venv/bin/python -m guide_kb rasa-data >/dev/null 2>&1
.venv/bin/rasa train --fixed-model-name bot > /tmp/train.log 2>&1 || { tail -20 /tmp/train.log; exit 1; }
pkill -f "rasa run" ; sleep 2
mkdir -p var
(.venv/bin/rasa run actions --port 5055 > /tmp/actions.log 2>&1 &)
(.venv/bin/rasa run --enable-api -m models/bot.tar.gz --port 5005 > /tmp/rasa.log 2>&1 &)
for i in $(seq 60); do curl -sf localhost:5005/status >/dev/null && curl -sf localhost:5055/health >/dev/null && break; sleep 1; done
echo ready
