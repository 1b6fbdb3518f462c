# The startup chart: how long a whole process takes to start, and what it
# reads, against the size of its executable; a program that leaves its data
# mapped against one that reads it all at start, cold and warm cache.
# Usage (scripts/plot-startup does this): gnuplot -c startup.gp DATADIR OUTFILE svg|png
# DATADIR holds startup.dat (section MiB, then for time in ns, major faults
# and MiB read: mapped cold, mapped warm, read cold, read warm), ranges.dat
# and title.dat (the run, then the second-instance line), from plot-startup.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1500,620 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1500,620 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
stats datadir.'/ranges.dat' using 1 name 'X' nooutput
stats datadir.'/ranges.dat' using 2 name 'Y' nooutput
xlo = X_min; xhi = X_max; ylo = Y_min; yhi = Y_max
f = datadir.'/startup.dat'

set multiplot
set origin 0, 0.86
set size 1, 0.14
unset border
unset tics
unset key
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench startup (C1): does a larger executable start slower? Left mapped, or its data read at start" at graph 0.5, graph 0.8 center font ',15'
plot datadir.'/title.dat' every ::0::0 using (0.5):(0.45):1 with labels noenhanced font ',10'
unset label 1
set origin 0, 0
set size 1, 0.08
plot datadir.'/title.dat' every ::1::1 using (0.5):(0.5):1 with labels noenhanced font ',8'

set border 3
set xtics nomirror
set ytics nomirror
set grid xtics ytics lc rgb '#dddddd'
set logscale x
set xrange [xlo:xhi]
set format x '%g'
set xlabel "size of the executable's unused section (MiB)"
set key top left font ',9' opaque box noenhanced
set style line 1 lc rgb '#1f4e79' lw 2 pt 5 dt 1
set style line 2 lc rgb '#6fa8dc' lw 2 pt 4 dt 2
set style line 3 lc rgb '#990000' lw 2 pt 7 dt 1
set style line 4 lc rgb '#e06666' lw 2 pt 6 dt 2
titles = "'mapped, cold' 'mapped, warm' 'reads its file at start, cold' 'reads its file at start, warm'"
set size 1 / 3.0, 0.78

set origin 0, 0.08
set logscale y
set yrange [ylo:yhi]
set ytics ('100 µs' 1e5, '300 µs' 3e5, '1 ms' 1e6, '3 ms' 3e6, '10 ms' 1e7, '30 ms' 3e7, '100 ms' 1e8, '300 ms' 3e8, '1 s' 1e9, '3 s' 3e9, '10 s' 1e10)
set title 'start-up time, whole process (median)'
plot for [k = 1:4] f using 1:(column(1 + k)) with linespoints ls k title word(titles, k)

set origin 1 / 3.0, 0.08
unset logscale y
set yrange [0:*]
set offsets 0, 0, 1, 0
set ytics auto
set key top right
set title "the child's major page faults per start"
plot for [k = 1:4] f using 1:(column(5 + k)) with linespoints ls k title word(titles, k)

set origin 2 / 3.0, 0.08
set logscale y
set yrange [*:*]
set offsets 0, 0, 0, 0
set key top left
set format y '%g'
set title 'MiB the child read from storage per cold start'
plot for [k = 1:3:2] f using 1:(column(9 + k)) with linespoints ls k title word(titles, k)
unset multiplot
