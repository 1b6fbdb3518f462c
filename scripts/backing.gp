# The backing chart (claim C8): for each mapping size a panel, for each kind
# of backing a bar, the median time of each phase of one pass stacked in it.
# Usage (scripts/plot-backing calls it): gnuplot -c backing.gp DATADIR OUTFILE FMT
#   DATADIR/bars.dat    one block per size: "kind" create fill rewrite unmap close durable
#                       shm_unlink total (ms)
#   DATADIR/panels.dat  per block: index "size label" bars
# Only paths arrive from outside, as arguments; every string drawn is read
# from the data files as data.
datadir = ARG1
outfile = ARG2
fmt = ARG3
bars = datadir.'/bars.dat'
panels = datadir.'/panels.dat'

if (fmt eq 'svg') {
    set terminal svg size 1500,620 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1500,620 font 'Sans,10' background rgb 'white'
}
set output outfile

stats panels using 1 nooutput
n = STATS_records
cols = (n <= 3 ? n : int((n + 1) / 2))
rows = (n <= 3 ? 1 : 2)

set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border rgb '#333333'
set boxwidth 0.7
set grid ytics lc rgb '#dddddd'
set xtics nomirror rotate by -30 font ',10'
set ytics nomirror
set ylabel 'ms per pass (median)'
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
colors = '#9e9e9e #1f77b4 #aec7e8 #ff7f0e #2ca02c #d62728 #9467bd'
phase(k) = word('create fill rewrite unmap close durable', k)
label(k) = k == 1 ? 'create (open, ftruncate, mmap)' : k == 2 ? 'fill (first write: page faults)' : \
           k == 3 ? 'rewrite (second write)' : k == 4 ? 'unmap (munmap)' : \
           k == 5 ? 'close' : k == 6 ? 'durable (fdatasync)' : 'shm\_unlink, after the pass (not in the total)'
total(v) = v >= 100 ? sprintf('%.0f', v) : v >= 1 ? sprintf('%.1f', v) : sprintf('%.2f', v)

# One legend for every panel, in two rows below the panels.
do for [k=1:7] {
    x0 = 0.08 + (k <= 4 ? k - 1 : k - 5) * 0.23
    y0 = (k <= 4 ? 0.06 : 0.02)
    set object 100+k rect from screen x0, screen y0 - 0.01 to screen x0 + 0.012, screen y0 + 0.01 \
        fc rgb word(colors, k) fs solid border rgb '#333333'
    if (k == 7) { set object 100+k fs pattern 4 border rgb '#333333' }
    set label 100+k label(k) at screen x0 + 0.016, screen y0 left font ',10'
}
unset key
set multiplot layout rows, cols margins 0.05, 0.99, 0.24, 0.86 spacing 0.05, 0.15 \
    title "\nmmbench backing (claim C8): where one pass's time goes, per kind of backing\n{/*0.8 phases stacked; the number on a bar is the median of its total, in ms; file = MAP\\_SHARED over a data file, durable = fdatasync after close}"
do for [i=0:n-1] {
    stats panels every ::i::i using (ptitle = strcol(2), $3) nooutput
    set title ptitle
    plot for [k=1:6] bars index i using (column(k + 1)):xtic(1) lc rgb word(colors, k), \
         bars index i using 8 lc rgb word(colors, 7) fs pattern 4, \
         bars index i using ($0):($2 + $3 + $4 + $5 + $6 + $7 + $8):(total($9)) with labels offset 0, 0.7 font ',9'
    # the objects and labels of the legend are drawn once
    do for [k=1:7] { unset object 100+k; unset label 100+k }
}
unset multiplot
