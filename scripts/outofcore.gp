# The outofcore chart: random block reads per second, and the file's pages
# in the page cache, against the time since a repetition started with the
# file evicted, for a file several times larger than the memory limit.
# Usage (scripts/plot-outofcore does this): gnuplot -c outofcore.gp DATADIR OUTFILE svg|png
# DATADIR holds series.dat (data file, method number, key label or "-", line
# width), one <method>-<rep>.dat per repetition and <method>-median.dat
# (seconds, reads/s, resident MiB), and title.dat (two lines of title, the
# memory limit in MiB, the last second), written by plot-outofcore.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1200,900 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1200,900 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
list = datadir.'/series.dat'
n = int(system("wc -l < '".list."'"))
file(i) = datadir.'/'.word(system("sed -n ".i."p '".list."' | cut -f1"), 1)
meth(i) = int(system("sed -n ".i."p '".list."' | cut -f2"))
label(i) = system("sed -n ".i."p '".list."' | cut -f3")
head = system("sed -n 1p '".datadir."/title.dat'")
tail = system("sed -n 2p '".datadir."/title.dat'")
limit = real(system("sed -n 3p '".datadir."/title.dat'"))
tmax = real(system("sed -n 4p '".datadir."/title.dat'"))
width(i) = real(system("sed -n ".i."p '".list."' | cut -f4"))
colour(m) = m == 1 ? '#990000' : m == 2 ? '#e69138' : m == 3 ? '#1f4e79' : '#6aa84f' 

set multiplot title "mmbench outofcore: pread against mmap when the file does not fit in memory\n".head."\n".tail noenhanced font ',13'
set border 3
set xtics nomirror
set ytics nomirror
set grid xtics ytics lc rgb '#dddddd'
set key top right font ',10' opaque box noenhanced
set xrange [0:tmax]
set yrange [0:*]

set origin 0, 0.36
set size 1, 0.56
set ylabel 'random reads per second (each point one interval)'
set logscale y
set yrange [*:*]
set format y '%.0s%c'
unset xlabel
plot for [i = 1:n] file(i) using 1:2 with lines lw width(i) lc rgb colour(meth(i)) \
     title (label(i) eq '-' ? '' : label(i))

set origin 0, 0
set size 1, 0.36
set ylabel "the file's resident MiB (mincore)"
set xlabel 'seconds since the repetition started with the file evicted'
unset logscale y
set yrange [0:limit * 1.15]
set format y '%g'
set key center right font ',10' opaque box noenhanced
plot for [i = 1:n] file(i) using 1:3 with lines lw width(i) lc rgb colour(meth(i)) notitle, \
     limit with lines lc rgb '#666666' dt 2 lw 1.5 title sprintf('memory limit %g MiB', limit)
unset multiplot
