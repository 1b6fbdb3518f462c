# The share chart: round-trip time and throughput against message size, one
# line per channel, and the smallest message's round trip by how the child
# obtained the mapping.
# Usage (scripts/plot-share does this):
#   gnuplot -c share.gp DATADIR OUTFILE svg|png NCHANNELS NMAPPINGS HASCPU
# DATADIR holds ch1.dat .. chN.dat (legend on the first line; size, round
# trip median and p99 in ns, MiB/s, CPU ns of both processes per round
# trip), maps.dat, maps_title.dat and title.dat,
# tab-separated, written by plot-share; every text drawn comes from those
# files as data.
datadir = ARG1
outfile = ARG2
nch = int(ARG4)
nmaps = int(ARG5)
hascpu = int(ARG6)
if (ARG3 eq 'svg') {
    set terminal svg size 1400,1150 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1400,1150 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
chfile(i) = sprintf('%s/ch%d.dat', datadir, i)
set linetype 1 lc rgb '#1f4e79' pt 7 ps 0.9 lw 2
set linetype 2 lc rgb '#2e86c1' pt 5 ps 0.9 lw 2
set linetype 3 lc rgb '#117a65' pt 9 ps 1.0 lw 2
set linetype 4 lc rgb '#7d3c98' pt 11 ps 1.0 lw 2
set linetype 5 lc rgb '#b45f06' pt 13 ps 1.0 lw 2 dt 2
set linetype 6 lc rgb '#c0392b' pt 15 ps 1.0 lw 2 dt 2
set linetype 7 lc rgb '#555555' pt 3 ps 1.0 lw 2

set multiplot
set origin 0, 0.93
set size 1, 0.07
unset border
unset tics
unset key
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench share: two processes passing verified messages, one at a time (medians)" at graph 0.5, graph 0.78 center font ',15'
plot datadir.'/title.dat' using (0.5):(0.2):1 with labels noenhanced font ',10'
unset label 1

set border 3
set tics nomirror
set grid xtics ytics lc rgb '#dddddd'
set logscale x 2
set logscale y 10
set xrange [6:1.5*2**20]
set xtics ('8 B' 8, '64 B' 64, '512 B' 512, '4 KiB' 4096, '32 KiB' 32768, '256 KiB' 262144, '1 MiB' 1048576)
set xlabel 'message size'
set key top left opaque box noenhanced font ',10'
set autoscale y

if (nch > 0) {
    set origin 0, 0.47
    set size 0.5, 0.46
    set ylabel 'round trip (message + 8-byte reply)'
    set format y '%.0s %cs'
    set ytics auto
    set title 'round-trip time (wall): median line, p99 of each pass as open marks'
    plot for [i=1:nch] chfile(i) using 1:($2 * 1e-9) with linespoints lt i title columnheader(1), \
         for [i=1:nch] chfile(i) using 1:($3 * 1e-9) with points lt i pt 6 ps 0.8 notitle

    set origin 0.5, 0.47
    set size 0.5, 0.46
    set ylabel 'MiB/s of message bytes'
    set format y '%g'
    set title 'throughput (wall): message bytes per second, each message verified'
    plot for [i=1:nch] chfile(i) using 1:4 with linespoints lt i title columnheader(1)

    set origin 0, 0
    set size 0.5, 0.46
    set ylabel 'CPU time per round trip'
    set format y '%.0s %cs'
    set title 'CPU time of both processes per round trip (what waiting for a CPU does not inflate)'
    if (hascpu) {
        plot for [i=1:nch] chfile(i) using 1:($5 * 1e-9) with linespoints lt i title columnheader(1)
    } else {
        set label 3 'no CPU time in these results' at graph 0.5, graph 0.5 center
        plot 1e-6 lc rgb 'white' notitle
        unset label 3
    }
}

# The mapping sweep's title names its size and channel: drawn as data.
if (nmaps > 0) {
    set origin 0.5, 0.425
    set size 0.5, 0.03
    unset border
    unset tics
    unset key
    unset title
    unset xlabel
    unset ylabel
    unset logscale
    unset grid
    set xrange [0:1]
    set yrange [0:1]
    plot datadir.'/maps_title.dat' using (0.5):(0.5):1 with labels noenhanced font ',11'
    set border 3
    set tics nomirror
    set grid ytics lc rgb '#dddddd'
}

unset logscale
set logscale y 10
set origin 0.5, 0
set size 0.5, 0.43
set xrange [-0.6:(nmaps > 0 ? nmaps : 1) - 0.4]
set autoscale y
set xtics autofreq noenhanced font ',10' rotate by -15
unset mxtics
set xlabel 'how the child process obtained the mapping'
set ylabel 'round trip'
set format y '%.0s %cs'
set style fill solid 0.85 border -1
set boxwidth 0.25
set key top right opaque box
unset title
if (nmaps > 0) {
    plot datadir.'/maps.dat' using ($1 - 0.26):($3 * 1e-9):xtic(2) with boxes lc rgb '#1f4e79' title 'median (wall)', \
         datadir.'/maps.dat' using ($1):($4 * 1e-9) with boxes lc rgb '#9fc5e8' title 'p99 of a pass (wall)', \
         datadir.'/maps.dat' using ($1 + 0.26):($6 * 1e-9) with boxes lc rgb '#b45f06' title 'CPU, both processes', \
         datadir.'/maps.dat' using ($1 - 0.26):($3 * 1.25e-9):5 with labels noenhanced font ',9' notitle
} else {
    unset tics
    unset border
    unset logscale y
    set yrange [0:1]
    set label 2 'no mapping sweep in these results' at graph 0.5, graph 0.5 center
    plot -1 notitle
}
unset multiplot
