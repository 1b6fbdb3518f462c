# The footprint chart: the memory a file costs once k of its pages were
# touched, held as a heap copy or through a mapping, cold and warm.
# Usage (scripts/plot-footprint does this): gnuplot -c footprint.gp DATADIR OUTFILE svg|png
# DATADIR holds cold.dat and warm.dat (index, label, RssAnon, RssFile, page
# cache, commit charge in MiB, then the same as text), panels.dat (1 where
# that state has a case that ran) and title.dat.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1500,1000 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1500,1000 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
# Read before any range or log scale is set, which stats would apply.
stats datadir.'/panels.dat' every ::0::0 using 1 name 'P1' nooutput
stats datadir.'/panels.dat' every ::1::1 using 1 name 'P2' nooutput

set multiplot
set origin 0, 0.92
set size 1, 0.08
unset border
unset tics
unset key
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench footprint (C4): memory a file costs after touching k of its pages (medians; labels in MiB; no bar: below 10 KiB or negative)" at graph 0.5, graph 0.75 center font ',15'
plot datadir.'/title.dat' using (0.5):(0.2):1 with labels noenhanced font ',10'
unset label 1

set border 3
set xtics nomirror noenhanced rotate by -25 font ',9'
set ytics nomirror
set grid ytics lc rgb '#dddddd'
set style fill solid 0.85 border -1
set boxwidth 0.19
set logscale y
set yrange [0.01:4096]
set ytics ('10 KiB' 0.01, '100 KiB' 0.1, '1 MiB' 1, '10 MiB' 10, '100 MiB' 100, '1 GiB' 1024)
set ylabel 'bytes'
set key top right opaque box font ',9' noenhanced
caches = 'cold warm'
do for [ci = 1:2] {
    f = sprintf('%s/%s.dat', datadir, word(caches, ci))
    if ((ci == 1 ? P1_max : P2_max) < 1) {
        set origin 0, (2 - ci) * 0.46
        set size 1, 0.46
        set title sprintf('%s page cache before the pass: no case of this state ran', word(caches, ci))
        set xrange [0:1]
        unset logscale y
        set yrange [0:1]
        plot 2 notitle
        set logscale y
        set yrange [0.01:4096]
        continue
    }
    stats f using 1 name 'N' nooutput
    set xrange [-0.6:N_max + 0.6]
    set origin 0, (2 - ci) * 0.46
    set size 1, 0.46
    set title sprintf('%s page cache before the pass: RssAnon and RssFile added, the file in the page cache after, commit charge added', word(caches, ci))
    plot f using ($1 - 0.3):3:xtic(2) with boxes lc rgb '#990000' title 'RssAnon added (heap)', \
         f using ($1 - 0.1):4 with boxes lc rgb '#1f4e79' title 'RssFile added (mapped)', \
         f using ($1 + 0.1):5 with boxes lc rgb '#6aa84f' title 'file in page cache after', \
         f using ($1 + 0.3):6 with boxes lc rgb '#b45f06' title 'commit charge added (Committed_AS)', \
         f using ($1 - 0.3):($3 * 1.4):7 with labels font ',7' notitle, \
         f using ($1 - 0.1):($4 * 1.4):8 with labels font ',7' notitle, \
         f using ($1 + 0.1):($5 * 1.4):9 with labels font ',7' notitle, \
         f using ($1 + 0.3):($6 * 1.4):10 with labels font ',7' notitle
}
unset multiplot
