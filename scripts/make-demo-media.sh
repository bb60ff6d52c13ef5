#!/usr/bin/env bash
# How Assets/media/ was made (ffmpeg and sox only; nothing downloaded): the demo's product spot
# (serum-ad.mp4, 6 s, 1280x720 H.264 + AAC: the product picture over a moving gradient, titles,
# a plucked jingle) and its music bed (night-bed.ogg, 24 s, four soft chords, Vorbis).
# The files are committed; run this only to remake them (the output differs by encoder version).
set -euo pipefail
cd "$(dirname "$0")/.."
out=Assets/media
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The bed: Am F C G, a sine each for the triad and the root an octave down, slow tremolo.
chords=()
for n in "A3 C4 E4 A2" "F3 A3 C4 F2" "C4 E4 G4 C3" "G3 B3 D4 G2"; do
  set -- $n
  sox -n -r 48000 -c 2 "$work/$1.wav" synth 6 sine "$1" sine "$2" sine "$3" sine "$4" remix - - tremolo 0.4 20 fade q 0.8 6 0.8 vol 0.2
  chords+=("$work/$1.wav")
done
sox "${chords[@]}" "$work/bed.wav" reverb 50 50 80 lowpass 2500 gain -n -14
ffmpeg -v error -y -i "$work/bed.wav" -c:a libvorbis -q:a 2 "$out/night-bed.ogg"

# The jingle: a plucked arpeggio, half a second a note.
notes=(C5 E5 G5 C6 G5 E5 A4 C5 E5 A5 E5 C5)
files=()
for i in "${!notes[@]}"; do
  sox -n -r 48000 -c 1 "$work/n$i.wav" synth 0.5 pluck "${notes[$i]}" vol 0.5
  files+=("$work/n$i.wav")
done
sox "${files[@]}" -c 2 "$work/jingle.wav" reverb 40

bold=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
regular=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
fade() { echo "min(1,max(0,(t-$1)/$2))"; }
ffmpeg -v error -y \
  -f lavfi -i "gradients=s=1280x720:c0=0x2b1055:c1=0x7597de:x0=0:y0=0:x1=1280:y1=720:speed=0.015:duration=6:rate=30" \
  -loop 1 -framerate 30 -i Assets/images/serum.png -i "$work/jingle.wav" \
  -filter_complex "[1]scale=w='380+90*t/6':h=-1:eval=frame,format=rgba,fade=in:st=0:d=0.6:alpha=1[p];\
[0][p]overlay=x='260-w/2':y='360-h/2':shortest=1,\
drawtext=fontfile=$bold:text='Moonlit Repair Serum':fontsize=54:fontcolor=white:x=520:y=255:alpha='$(fade 0.5 0.6)',\
drawtext=fontfile=$regular:text='Wake up glowing':fontsize=42:fontcolor=0xffe9a8:x=520:y=340:alpha='$(fade 1.4 0.6)',\
drawtext=fontfile=$bold:text='Tonight only  -  link #1':fontsize=38:fontcolor=white:box=1:boxcolor=0xe63946@0.9:boxborderw=14:x=520:y=430:alpha='$(fade 2.6 0.5)',\
format=yuv420p[v]" \
  -map "[v]" -map 2 -t 6 -c:v libx264 -preset slow -crf 26 -c:a aac -b:a 96k -movflags +faststart "$out/serum-ad.mp4"
echo "wrote $out/night-bed.ogg and $out/serum-ad.mp4"
