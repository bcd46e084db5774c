"""What the media server is doing: is nginx-rtmp reachable, and each live stream's health and viewers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from streams import presence, selectors, stats


def _kbps(bits: int) -> str:
    return f"{bits // 1000} kbit/s"


class Command(BaseCommand):
    help = "Show nginx-rtmp's state and every live stream with bit-rate, resolution, fps and viewers."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            by_slug = stats.live_stats()
            self.stdout.write(f"nginx-rtmp: reachable ({settings.RTMP_STAT_URL})")
        except (stats.StatUnavailable, stats.ET.ParseError) as exc:
            by_slug = {}
            self.stdout.write(self.style.ERROR(f"nginx-rtmp: NOT reachable ({exc})"))
        streams = list(selectors.live_streams())
        self.stdout.write(f"{len(streams)} live stream{'' if len(streams) == 1 else 's'}")
        for stream in streams:
            slug = stream.channel.slug
            minutes = (timezone.now() - stream.started_at).total_seconds() // 60
            line = f"  {slug:<25} live {minutes:>4.0f} min  node {stream.ingest_node}"
            stat = by_slug.get(slug)
            if stat is None:
                line += "  (not on this node's stat)"
            else:
                size = f"{stat.width}x{stat.height}" if stat.width else "?"
                line += f"  in {_kbps(stat.bitrate_in)} (video {_kbps(stat.bw_video)}"
                line += f", audio {_kbps(stat.bw_audio)})  {size} @ {stat.frame_rate or '?'} fps"
                line += f"  dropped {stat.dropped}"
            line += f"  viewers {presence.viewer_count(slug)}"
            self.stdout.write(line)
        for slug in sorted(set(by_slug) - {s.channel.slug for s in streams}):
            self.stdout.write(self.style.WARNING(f"  {slug}: publishing on nginx but no live session"))
