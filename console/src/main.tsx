import 'uplot/dist/uPlot.min.css';
import '../styles/console.css';
import { render } from 'preact';
import { App } from './app.js';

render(<App />, document.getElementById('app')!);
