"""What a user might write instead of @spoti/analytics: pandas over the extended history.

Reads every Streaming_History_Audio_*.json of the zip, keeps music rows, drops rows repeated
with the same ts and track (re-synced offline plays with a new ts stay), and computes totals,
top artists/tracks/albums by time and plays, an hour-of-day and a weekday x hour grid in the
listener's zone and monthly minutes. No sessions, streaks, diversity, genres or profile.
Prints a JSON object: rows, plays, seconds, peak RSS.
"""
import io
import json
import re
import resource
import sys
import time
import zipfile

import pandas as pd

start = time.perf_counter()
frames = []
with zipfile.ZipFile(sys.argv[1]) as archive:
    for name in sorted(archive.namelist()):
        if re.search(r"Streaming_History_Audio_.*\.json$", name):
            frames.append(pd.DataFrame(json.load(io.TextIOWrapper(archive.open(name), "utf-8"))))
df = pd.concat(frames, ignore_index=True)
rows = len(df)
music = df[df["spotify_track_uri"].notna()].drop_duplicates(["ts", "spotify_track_uri"])
local = pd.to_datetime(music["ts"], utc=True).dt.tz_convert("Europe/Paris")
music = music.assign(hour=local.dt.hour, weekday=local.dt.weekday, month=local.dt.strftime("%Y-%m"))
by = lambda keys: music.groupby(keys)["ms_played"].agg(["sum", "count"]).sort_values("sum", ascending=False).head(50)
result = {
    "rows": rows,
    "plays": len(music),
    "hours": float(music["ms_played"].sum()) / 3.6e6,
    "artists": len(by("master_metadata_album_artist_name")),
    "tracks": len(by(["master_metadata_track_name", "master_metadata_album_artist_name"])),
    "albums": len(by("master_metadata_album_album_name")),
    "hourGrid": music.groupby("hour")["ms_played"].sum().size,
    "weekdayHours": music.groupby(["weekday", "hour"])["ms_played"].sum().size,
    "months": music.groupby("month")["ms_played"].sum().size,
    "uniqueTracks": int(music["spotify_track_uri"].nunique()),
    "skipRate": float(music["skipped"].fillna(False).astype(bool).mean()),
}
result["seconds"] = time.perf_counter() - start
result["maxRss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(result))
