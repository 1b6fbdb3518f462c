# The lostupdates chart: entries lost when P processes add to one list at
# once, by how they share it, and how many entries per second they add.
# Usage (scripts/plot-lostupdates does this):
#   gnuplot -c lostupdates.gp DATADIR OUTFILE svg|png
# DATADIR holds count.dat (methods, holds), title.dat and m1.dat .. mN.dat
# (one per hold and method, method fastest: a header line whose second
# field is the legend, then procs, lost median, min, max, entries per
# second, percent label), tab-separated, written by plot-lostupdates; every
# text drawn comes from those files as data. Colour: method; dashes: hold.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1300,900 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1300,900 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
stats datadir.'/count.dat' using 1 nooutput
nm = int(STATS_max)
stats datadir.'/count.dat' using 2 nooutput
n = nm * int(STATS_max)
m(i) = sprintf('%s/m%d.dat', datadir, i)
array colour[4] = ['#cc0000', '#1f77b4', '#2ca02c', '#9467bd']
c(i) = colour[((i - 1) % nm) % 4 + 1]
d(i) = (i - 1) / nm + 1

set multiplot
set origin 0, 0.92
set size 1, 0.08
unset border
unset tics
unset key
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench lostupdates: P processes each add entries to one shared list (medians)" at graph 0.5, graph 0.75 center font ',15'
plot datadir.'/title.dat' using (0.5):(0.2):1 with labels noenhanced font ',10'
unset label 1

set border 3
set tics nomirror
set xtics ('2' 2, '3' 3, '4' 4, '5' 5, '6' 6, '7' 7, '8' 8)
set xrange [1.6:8.4]
set grid xtics ytics lc rgb '#dddddd'
set xlabel 'processes adding at once'
set key top left opaque box noenhanced

set origin 0, 0.46
set size 1, 0.46
set yrange [-5:*]
set ylabel 'entries lost'
set title 'entries lost (bars: fewest and most over the repetitions; label: share of the entries added)'
# Methods that lose nothing all sit on 0: each is shifted a little along x
# so that every one stays visible.
dx(i) = (i - (n + 1) / 2.0) * 0.04
plot for [i=1:n] m(i) using ($1 + dx(i)):2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb c(i) dt d(i) title columnheader(2), \
     for [i=1:n] m(i) using ($1 + dx(i)):2:6 with labels offset 2.5,0.8 font ',9' noenhanced notitle

set origin 0, 0
set size 1, 0.46
set yrange [*:*]
set logscale y
set format y '%.0s%c'
set ylabel 'entries added per second'
set title 'throughput: entries added per second by all processes together, barrier opened to last add (key as above)'
unset key
plot for [i=1:n] m(i) using 1:5 with linespoints lw 2 pt 7 ps 1.2 lc rgb c(i) dt d(i) title columnheader(2)
unset multiplot
