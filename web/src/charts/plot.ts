/** Shared uPlot setup: sizing to the container, colours, axes, and vertical markers. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * Category colours, distinguishable on white: Tableau's 10 (less grey), then their light variants;
 * "other" is grey. Stable per name for the session, so a refresh never repaints a category.
 */
const PALETTE = [
  ...['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'],
  ...['#a0cbe8', '#ffbe7d', '#8cd17d', '#f1ce63', '#86bcb6', '#d4a6c8', '#d7b5a6', '#b6992d', '#499894'],
];
const colours = new Map<string, string>([['other', '#bab0ac']]);

export function colourOf(category: string): string {
  let colour = colours.get(category);
  if (!colour) {
    colour = PALETTE[(colours.size - 1) % PALETTE.length];
    colours.set(category, colour);
  }
  return colour;
}

export const AXIS_STROKE = '#333';
const GRID = { stroke: '#e3e3e3', width: 1 };

export function axis(label: string, extra: uPlot.Axis = {}): uPlot.Axis {
  return { label, stroke: AXIS_STROKE, grid: GRID, ticks: GRID, ...extra };
}

/** Draws a dashed vertical line at each x value (shift markers). */
export function markers(xs: () => readonly number[], colour = '#1a1a1a'): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.strokeStyle = colour;
        ctx.fillStyle = colour;
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
        for (const x of xs()) {
          const left = Math.round(u.valToPos(x, 'x', true));
          ctx.beginPath();
          ctx.moveTo(left, bbox.top);
          ctx.lineTo(left, bbox.top + bbox.height);
          ctx.stroke();
          const size = 6 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(left - size, bbox.top);
          ctx.lineTo(left + size, bbox.top);
          ctx.lineTo(left, bbox.top + size * 1.4);
          ctx.fill();
        }
        ctx.restore();
      },
    },
  };
}

/**
 * A uPlot in `host`, as wide as the host, resized with it.
 *
 * @example
 * const dispose = mountPlot(host, options, data);
 */
export function mountPlot(host: HTMLElement, options: Omit<uPlot.Options, 'width'>, data: uPlot.AlignedData) {
  const width = () => Math.max(240, Math.floor(host.clientWidth || 600));
  const plot = new uPlot({ ...options, width: width() }, data, host);
  const observer = new ResizeObserver(() => {
    if (Math.abs(plot.width - width()) > 1) plot.setSize({ width: width(), height: options.height });
  });
  observer.observe(host);
  return () => {
    observer.disconnect();
    plot.destroy();
  };
}
