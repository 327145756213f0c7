// The workspace's entry point: its styles and its app, mounted on the page.
import { render } from 'preact';
import { App } from './App';
import './style.css';

render(<App />, document.getElementById('app')!);
